package org.hypnostream.inference.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.hypnostream.common.event.Alert;
import org.hypnostream.common.event.AlertState;
import org.hypnostream.common.event.JsonCodec;
import org.hypnostream.common.event.StageEvent;
import org.hypnostream.common.event.StateSnapshot;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.common.wire.WindowCodecs;
import org.hypnostream.inference.runtime.ModelRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Stage-lane snapshots: one per touched bed, through the topic serde, restored lanes continue exactly. */
class StageLaneSnapshotTest {
    private static final Instant NOW = Instant.parse("2026-09-22T00:00:00Z");
    private ModelRegistry models;
    private TestStager stager;
    private long offset;

    @BeforeEach
    void load() {
        models = ModelRegistry.load(TestStager.GOOD_MODELS, "cpu");
        stager = new TestStager(models.require("linear-stager-test"));
    }

    @AfterEach
    void close() {
        models.close();
    }

    private ConsumerRecord<String, byte[]> rec(String bed, long index, boolean flat) {
        return new ConsumerRecord<>(Topics.EEG_EPOCHS.name(), 0, offset++, bed,
                WindowCodecs.encodeEpoch(TestEpochs.epoch(bed, index, flat)));
    }

    private static <T> List<T> values(List<Scored> scored, String topic, Class<T> type) {
        List<T> out = new ArrayList<>();
        for (Scored s : scored) {
            for (ProducerRecord<String, byte[]> r : s.records()) {
                if (r.topic().equals(topic)) {
                    out.add(JsonCodec.fromBytes(r.value(), type));
                }
            }
        }
        return out;
    }

    /** Through the real topic serde, as the service writes and reads them. */
    private static List<StateSnapshot> viaTopic(List<StateSnapshot> snaps) {
        var serde = Topics.INFERENCE_STATE.valueSerde();
        return snaps.stream().map(s -> serde.deserializer().deserialize(Topics.INFERENCE_STATE.name(),
                serde.serializer().serialize(Topics.INFERENCE_STATE.name(), s))).toList();
    }

    @Test
    void aLaneRestoredFromSnapshotsContinuesExactlyIncludingTheOpenAlert() {
        StageLane original = new StageLane(stager, 3, new SimpleMeterRegistry());
        List<ConsumerRecord<String, byte[]>> before = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            before.add(rec("bed-a", i, i >= 4)); // epochs 4-6 flat: alert raised at 6, still open
            before.add(rec("bed-b", i, false));
        }
        assertThat(values(original.score(before, NOW), Topics.ALERTS.name(), Alert.class))
                .extracting(Alert::state).containsExactly(AlertState.ACTIVE);
        List<StateSnapshot> snaps = viaTopic(original.snapshots());
        assertThat(snaps).extracting(StateSnapshot::bedId).containsExactly("bed-a", "bed-b");
        assertThat(snaps).allSatisfy(s -> {
            assertThat(s.lastIndex()).isEqualTo(6);
            assertThat(s.lane()).isEqualTo("stage");
            assertThat(s.modelSha256()).isEqualTo(stager.modelSha256());
        });
        assertThat(snaps.get(0).inputOffset()).isEqualTo(12);
        assertThat(snaps.get(1).inputOffset()).isEqualTo(13);
        assertThat(original.snapshots()).as("nothing touched since").isEmpty();

        StageLane restored = new StageLane(stager, 3, new SimpleMeterRegistry());
        assertThat(restored.restore(snaps)).isEqualTo(Map.of("bed-a", 12L, "bed-b", 13L));
        StageLane fresh = new StageLane(stager, 3, new SimpleMeterRegistry());
        List<ConsumerRecord<String, byte[]>> after = new ArrayList<>();
        for (int i = 7; i < 10; i++) {
            after.add(rec("bed-a", i, false));
            after.add(rec("bed-b", i, false));
        }
        List<Scored> want = original.score(after, NOW);
        List<Scored> got = restored.score(after, NOW);
        List<StageEvent> w = values(want, Topics.STAGE_EVENTS.name(), StageEvent.class);
        List<StageEvent> g = values(got, Topics.STAGE_EVENTS.name(), StageEvent.class);
        assertThat(g).hasSize(6);
        for (int i = 0; i < w.size(); i++) {
            assertThat(g.get(i).epochIndex()).isEqualTo(w.get(i).epochIndex());
            assertThat(g.get(i).stage()).isEqualTo(w.get(i).stage());
            assertThat(g.get(i).probabilities()).as("bit for bit").isEqualTo(w.get(i).probabilities());
        }
        List<Alert> cleared = values(got, Topics.ALERTS.name(), Alert.class);
        assertThat(cleared).isEqualTo(values(want, Topics.ALERTS.name(), Alert.class));
        assertThat(cleared).extracting(Alert::state).containsExactly(AlertState.CLEARED);
        assertThat(viaTopic(restored.snapshots())).isEqualTo(viaTopic(original.snapshots()));

        List<StageEvent> f = values(fresh.score(after, NOW), Topics.STAGE_EVENTS.name(), StageEvent.class);
        assertThat(f.get(1).probabilities()).as("a lane without the snapshot differs").isNotEqualTo(w.get(1).probabilities());
    }

    @Test
    void snapshotsOfAnotherModelBuildOrWithBadBytesAreSkippedNotFatal() {
        StageLane original = new StageLane(stager, 3, new SimpleMeterRegistry());
        original.score(List.of(rec("bed-a", 0, false), rec("bed-b", 0, false), rec("bed-c", 0, false)), NOW);
        List<StateSnapshot> snaps = original.snapshots();
        StateSnapshot a = snaps.get(0);
        StateSnapshot otherSha = new StateSnapshot(a.lane(), a.modelId(), "0".repeat(64), a.bedId(),
                a.sessionStartMicros(), a.lastIndex(), a.inputTopic(), a.inputPartition(), a.inputOffset(), a.state());
        StateSnapshot b = snaps.get(1);
        StateSnapshot garbage = new StateSnapshot(b.lane(), b.modelId(), b.modelSha256(), b.bedId(),
                b.sessionStartMicros(), b.lastIndex(), b.inputTopic(), b.inputPartition(), b.inputOffset(),
                new byte[] {1, 2, 3});
        StageLane restored = new StageLane(stager, 3, new SimpleMeterRegistry());
        assertThat(restored.restore(List.of(otherSha, garbage, snaps.get(2)))).containsOnlyKeys("bed-c");
    }

    @Test
    void forgottenPartitionsTakeTheirPendingSnapshotsWithThem() {
        StageLane lane = new StageLane(stager, 3, new SimpleMeterRegistry());
        lane.score(List.of(rec("bed-a", 0, false)), NOW);
        lane.forget(List.of(new org.apache.kafka.common.TopicPartition(Topics.EEG_EPOCHS.name(), 0)));
        assertThat(lane.snapshots()).isEmpty();
    }
}
