package org.hypnostream.inference.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.hypnostream.common.event.Alert;
import org.hypnostream.common.event.AlertPriority;
import org.hypnostream.common.event.AlertState;
import org.hypnostream.common.event.DeadLetter;
import org.hypnostream.common.event.Stage;
import org.hypnostream.common.event.StageEvent;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.common.wire.QualityFlag;
import org.hypnostream.common.wire.WindowCodecs;
import org.hypnostream.inference.runtime.ModelRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StageLaneTest {
    private static final Instant NOW = Instant.parse("2026-09-22T00:00:00Z");
    private ModelRegistry models;
    private TestStager stager;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
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
        return new ConsumerRecord<>(Topics.EEG_EPOCHS.name(), Math.abs(bed.hashCode()) % 2, offset++, bed,
                WindowCodecs.encodeEpoch(TestEpochs.epoch(bed, index, flat)));
    }

    private static <T> List<T> values(List<Scored> scored, String topic, Class<T> type) {
        List<T> out = new ArrayList<>();
        for (Scored s : scored) {
            for (ProducerRecord<String, byte[]> r : s.records()) {
                if (r.topic().equals(topic)) {
                    out.add(org.hypnostream.common.event.JsonCodec.fromBytes(r.value(), type));
                }
            }
        }
        return out;
    }

    @Test
    void oneEventPerEpochUnscoredWithReasonAndOneAlertWhenItPersists() {
        StageLane lane = new StageLane(stager, 3, registry);
        List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            batch.add(rec("bed-a", i, false));
            batch.add(rec("bed-b", i, i >= 2 && i <= 5));
        }
        List<Scored> out = lane.score(batch, NOW);
        assertThat(out).hasSize(16);
        assertThat(out).extracting(Scored::offset).containsExactlyElementsOf(batch.stream().map(ConsumerRecord::offset).toList());
        List<StageEvent> events = values(out, Topics.STAGE_EVENTS.name(), StageEvent.class);
        assertThat(events).hasSize(16);
        List<StageEvent> b = events.stream().filter(e -> e.bedId().equals("bed-b")).toList();
        assertThat(b).extracting(StageEvent::epochIndex).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
        for (StageEvent e : b.subList(2, 6)) {
            assertThat(e.stage()).isEqualTo(Stage.UNSCORED);
            assertThat(e.unscoredReason()).isEqualTo("FLAT on Fpz-Cz");
            assertThat(e.quality()).contains(QualityFlag.FLAT);
            assertThat(e.probabilities()).isEmpty();
        }
        assertThat(b.get(6).stage()).isNotEqualTo(Stage.UNSCORED);
        StageEvent first = events.get(0);
        assertThat(first.provenance().modelId()).isEqualTo("linear-stager-test");
        assertThat(first.provenance().provider()).isEqualTo("CPU");
        assertThat(first.provenance().modelSha256()).isEqualTo(models.require("linear-stager-test").sha256());
        assertThat(first.probabilities()).hasSize(5);
        assertThat(first.probabilities().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-6));
        assertThat(first.latencyMillis()).isEqualTo(java.time.Duration.between(first.epochEnd(), NOW).toMillis());
        assertThat(first.sourceReceiveMicros()).isEqualTo(TestEpochs.epoch("bed-a", 0, false).lastBlockReceiveMicros());

        List<Alert> alerts = values(out, Topics.ALERTS.name(), Alert.class);
        assertThat(alerts).extracting(Alert::state).containsExactly(AlertState.ACTIVE, AlertState.CLEARED);
        assertThat(alerts).allSatisfy(a -> {
            assertThat(a.bedId()).isEqualTo("bed-b");
            assertThat(a.code()).isEqualTo("UNSCORED_PERSISTENT");
            assertThat(a.priority()).isEqualTo(AlertPriority.MEDIUM);
            assertThat(a.physiological()).isFalse();
        });
        assertThat(alerts.get(0).alertId()).isEqualTo(alerts.get(1).alertId());
        assertThat(alerts.get(0).message()).contains("epochs 2-4").contains("FLAT on Fpz-Cz");
        assertThat(registry.get("hypnostream.inference.events").tag("outcome", "unscored").counter().count()).isEqualTo(4);
    }

    @Test
    void unscoredGaugesFollowTheRunsWithoutNamingABed() {
        StageLane lane = new StageLane(stager, 3, registry);
        var beds = registry.get("hypnostream.inference.unscored.beds").gauge();
        var longest = registry.get("hypnostream.inference.unscored.run.longest").gauge();
        assertThat(beds.value()).isZero();
        lane.score(List.of(rec("bed-a", 0, true), rec("bed-b", 0, true), rec("bed-a", 1, true)), NOW);
        assertThat(longest.value()).isEqualTo(2);
        assertThat(beds.value()).as("below the alert threshold of 3").isZero();
        lane.score(List.of(rec("bed-a", 2, true), rec("bed-b", 1, true)), NOW);
        assertThat(longest.value()).isEqualTo(3);
        assertThat(beds.value()).isEqualTo(1);
        lane.score(List.of(rec("bed-b", 2, true), rec("bed-a", 3, false)), NOW);
        assertThat(beds.value()).as("bed-a scored again, bed-b reached 3").isEqualTo(1);
        assertThat(longest.value()).isEqualTo(3);
        lane.score(List.of(rec("bed-b", 3, false)), NOW);
        assertThat(beds.value()).isZero();
        assertThat(longest.value()).isZero();
        assertThat(registry.get("hypnostream.inference.unscored.beds").meters()).hasSize(1);
        assertThat(beds.getId().getTags()).noneMatch(t -> t.getValue().startsWith("bed-"));
    }

    @Test
    void batchedScoringEqualsOneByOne() {
        StageLane batched = new StageLane(stager, 3, registry);
        StageLane single = new StageLane(stager, 3, registry);
        List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            for (String bed : List.of("b1", "b2", "b3")) {
                batch.add(rec(bed, i, bed.equals("b2") && i == 3));
            }
        }
        List<StageEvent> all = values(batched.score(batch, NOW), Topics.STAGE_EVENTS.name(), StageEvent.class);
        List<StageEvent> one = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : batch) {
            one.addAll(values(single.score(List.of(r), NOW), Topics.STAGE_EVENTS.name(), StageEvent.class));
        }
        assertThat(all).hasSize(18);
        for (int i = 0; i < 18; i++) {
            assertSame(all.get(i), one.get(i));
        }
    }

    @Test
    void rebuildFromHistoryGivesTheSameResultsAsAnUninterruptedRun() {
        List<ConsumerRecord<String, byte[]>> history = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            history.add(rec("bed-a", i, i >= 2));
        }
        ConsumerRecord<String, byte[]> next = rec("bed-a", 5, false);
        StageLane uninterrupted = new StageLane(stager, 3, registry);
        uninterrupted.score(history, NOW);
        List<Scored> want = uninterrupted.score(List.of(next), NOW);
        StageLane restarted = new StageLane(stager, 3, registry);
        restarted.rebuild(history);
        List<Scored> got = restarted.score(List.of(next), NOW);
        assertSame(values(got, Topics.STAGE_EVENTS.name(), StageEvent.class).get(0),
                values(want, Topics.STAGE_EVENTS.name(), StageEvent.class).get(0));
        // the alert raised during the history is cleared after the restart too: the run count was rebuilt
        assertThat(values(got, Topics.ALERTS.name(), Alert.class)).extracting(Alert::state).containsExactly(AlertState.CLEARED);
        StageLane fresh = new StageLane(stager, 3, registry);
        StageEvent noContext = values(fresh.score(List.of(next), NOW), Topics.STAGE_EVENTS.name(), StageEvent.class).get(0);
        StageEvent withContext = values(want, Topics.STAGE_EVENTS.name(), StageEvent.class).get(0);
        assertThat(noContext.probabilities()).isNotEqualTo(withContext.probabilities());
    }

    @Test
    void undecodableAndDuplicateEpochsAreDeadLetteredNotDropped() {
        StageLane lane = new StageLane(stager, 3, registry);
        ConsumerRecord<String, byte[]> garbage = new ConsumerRecord<>(Topics.EEG_EPOCHS.name(), 1, 77, "bed-x", new byte[] {1, 2, 3});
        ConsumerRecord<String, byte[]> e0 = rec("bed-a", 0, false);
        ConsumerRecord<String, byte[]> dup = rec("bed-a", 0, false);
        List<Scored> out = lane.score(List.of(garbage, e0, dup), NOW);
        assertThat(out).hasSize(3);
        List<DeadLetter> dead = values(out, Topics.DEAD_LETTER.name(), DeadLetter.class);
        assertThat(dead).hasSize(2);
        assertThat(dead.get(0).offset()).isEqualTo(77);
        assertThat(dead.get(0).reason()).startsWith("undecodable epoch");
        assertThat(dead.get(1).reason()).contains("epoch 0 of bed bed-a is a duplicate");
        assertThat(values(out, Topics.STAGE_EVENTS.name(), StageEvent.class)).hasSize(1);
    }

    static void assertSame(StageEvent a, StageEvent b) {
        assertThat(a.bedId()).isEqualTo(b.bedId());
        assertThat(a.epochIndex()).isEqualTo(b.epochIndex());
        assertThat(a.stage()).isEqualTo(b.stage());
        assertThat(a.unscoredReason()).isEqualTo(b.unscoredReason());
        assertThat(a.probabilities()).hasSameSizeAs(b.probabilities());
        for (int k = 0; k < a.probabilities().size(); k++) {
            assertThat(a.probabilities().get(k)).isCloseTo(b.probabilities().get(k), org.assertj.core.api.Assertions.within(1e-6));
        }
    }
}
