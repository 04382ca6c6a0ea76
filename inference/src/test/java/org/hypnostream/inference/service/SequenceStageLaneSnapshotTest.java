package org.hypnostream.inference.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.hypnostream.common.event.JsonCodec;
import org.hypnostream.common.event.StageEvent;
import org.hypnostream.common.event.StateSnapshot;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.common.wire.WindowCodecs;
import org.hypnostream.inference.runtime.ModelRegistry;
import org.hypnostream.inference.stage.StageScorer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Stager v3 in the stage lane: after a restart from its snapshots (through the topic serde) the lane's stage events
 * equal those of the lane that never stopped, bit for bit, also with damaged epochs before the restart; a lane
 * without the snapshots differs (the GRU window is part of the state).
 */
class SequenceStageLaneSnapshotTest {
    private static final Instant NOW = Instant.parse("2026-12-07T00:00:00Z");
    private ModelRegistry models;
    private StageScorer stager;
    private long offset;

    @BeforeEach
    void load() {
        models = ModelRegistry.load(Path.of("../models"), "cpu");
        var model = models.require("stager-features-welch-gru-v3");
        stager = new SequenceStagerFactory().create(model);
    }

    @AfterEach
    void close() {
        models.close();
    }

    private ConsumerRecord<String, byte[]> rec(String bed, long index, boolean flat) {
        return new ConsumerRecord<>(Topics.EEG_EPOCHS.name(), 0, offset++, bed,
                WindowCodecs.encodeEpoch(TestEpochs.epoch(bed, index, flat)));
    }

    private static List<StageEvent> events(List<Scored> scored) {
        List<StageEvent> out = new ArrayList<>();
        for (Scored s : scored) {
            for (ProducerRecord<String, byte[]> r : s.records()) {
                if (r.topic().equals(Topics.STAGE_EVENTS.name())) {
                    out.add(JsonCodec.fromBytes(r.value(), StageEvent.class));
                }
            }
        }
        return out;
    }

    @Test
    void aRestoredLaneContinuesBitForBit() {
        StageLane original = new StageLane(stager, 3, new SimpleMeterRegistry());
        List<ConsumerRecord<String, byte[]>> before = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            before.add(rec("bed-a", i, i == 5 || i == 6)); // two damaged epochs: not in the window
            before.add(rec("bed-b", i, false));
        }
        original.score(before, NOW);
        var serde = Topics.INFERENCE_STATE.valueSerde();
        List<StateSnapshot> snaps = original.snapshots().stream().map(s -> serde.deserializer().deserialize(
                Topics.INFERENCE_STATE.name(), serde.serializer().serialize(Topics.INFERENCE_STATE.name(), s))).toList();
        assertThat(snaps).hasSize(2).allSatisfy(s -> assertThat(s.modelSha256()).isEqualTo(stager.modelSha256()));
        StageLane restored = new StageLane(stager, 3, new SimpleMeterRegistry());
        assertThat(restored.restore(snaps)).containsOnlyKeys("bed-a", "bed-b");
        StageLane fresh = new StageLane(stager, 3, new SimpleMeterRegistry());

        List<ConsumerRecord<String, byte[]>> after = new ArrayList<>();
        for (int i = 24; i < 30; i++) {
            after.add(rec("bed-a", i, false));
            after.add(rec("bed-b", i, false));
        }
        List<StageEvent> want = events(original.score(after, NOW));
        List<StageEvent> got = events(restored.score(after, NOW));
        List<StageEvent> without = events(fresh.score(after, NOW));
        assertThat(got).hasSize(12);
        for (int i = 0; i < want.size(); i++) {
            assertThat(got.get(i).epochIndex()).isEqualTo(want.get(i).epochIndex());
            assertThat(got.get(i).stage()).isEqualTo(want.get(i).stage());
            assertThat(got.get(i).probabilities()).as("bit for bit").isEqualTo(want.get(i).probabilities());
        }
        assertThat(without.get(0).probabilities()).as("without the snapshot the window is empty")
                .isNotEqualTo(want.get(0).probabilities());
    }
}
