package org.hypnostream.inference.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.hypnostream.common.event.DeadLetter;
import org.hypnostream.common.event.Provenance;
import org.hypnostream.common.event.RevisedHypnogram;
import org.hypnostream.common.event.Stage;
import org.hypnostream.common.study.StudyEvent;
import org.hypnostream.common.study.StudyEventType;
import org.hypnostream.common.time.Micros;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.common.wire.Epoch;
import org.hypnostream.inference.stage.StageResult;
import org.junit.jupiter.api.Test;

/**
 * The re-score lane with a fake night source and re-scorer (no broker, no model): one record per input, the revised
 * record only for lights-on and only on revised-stages.v1, a failed re-score dead-letters the mark instead of
 * throwing, marks folded by a rebuild are not re-scored again.
 */
class RevisedLaneTest {
    private static final Instant NOW = Instant.parse("2026-12-07T07:00:00Z");
    private static final Instant T0 = Micros.toInstant(TestEpochs.SESSION_START_MICROS);
    private static final Provenance V3 = Provenance.model("stager-features-welch-gru-v3", "ef".repeat(32), "CPU");
    private final List<RescoreTrigger.Night> asked = new ArrayList<>();
    private long offset;

    private RevisedLane lane(boolean failing) {
        NightSource source = n -> {
            asked.add(n);
            if (failing) {
                throw new IllegalStateException("night not read within PT60S");
            }
            List<Epoch> out = new ArrayList<>();
            for (int i = 5; i >= 0; i--) { // any order, with a duplicate: the lane sorts and keeps one per index
                out.add(TestEpochs.epoch(n.bedId(), i, i == 0));
            }
            out.add(TestEpochs.epoch(n.bedId(), 3, false));
            return out;
        };
        return new RevisedLane(source, epochs -> epochs.stream().map(e -> e.index() == 0
                ? new StageResult(Stage.UNSCORED, List.of(), false, "FLAT on Fpz-Cz; no prior epoch to predict from", null)
                : new StageResult(Stage.N2, List.of(0.1, 0.1, 0.6, 0.1, 0.1), false, null, null)).toList(), V3);
    }

    private ConsumerRecord<String, byte[]> rec(StudyEvent e) {
        return new ConsumerRecord<>(Topics.STUDY_EVENTS.name(), 0, offset++, e.bedId(),
                Topics.STUDY_EVENTS.valueSerde().serializer().serialize(Topics.STUDY_EVENTS.name(), e));
    }

    @Test
    void onlyLightsOnYieldsOneRevisedRecordOnTheRevisedTopic() {
        RevisedLane lane = lane(false);
        List<Scored> out = lane.score(List.of(rec(StudyMarks.admitted("a", "bed-1", "s1", T0)),
                rec(StudyMarks.mark("b", "bed-1", "s1", StudyEventType.LIGHTS_OFF, T0)),
                rec(StudyMarks.mark("c", "bed-1", "s1", StudyEventType.LIGHTS_ON, T0.plusSeconds(180)))), NOW);
        assertThat(out).hasSize(3);
        assertThat(out.get(0).records()).isEmpty();
        assertThat(out.get(1).records()).isEmpty();
        assertThat(out.get(2).offset()).isEqualTo(2);
        ProducerRecord<String, byte[]> r = out.get(2).records().get(0);
        assertThat(out.get(2).records()).hasSize(1);
        assertThat(r.topic()).isEqualTo("revised-stages.v1");
        assertThat(r.key()).isEqualTo("bed-1");
        RevisedHypnogram h = Topics.REVISED_STAGES.valueSerde().deserializer().deserialize(r.topic(), r.value());
        assertThat(h.nonCausal()).isTrue();
        assertThat(h.provenance()).isEqualTo(V3);
        assertThat(h.producedAt()).isEqualTo(NOW);
        assertThat(h.epochs()).extracting(RevisedHypnogram.RevisedEpoch::epochIndex).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
        assertThat(h.epochs().get(0).stage()).isEqualTo(Stage.UNSCORED);
        assertThat(h.epochs().get(0).reason()).startsWith("FLAT");
        assertThat(h.epochs().get(1).epochStart()).isEqualTo(T0.plusSeconds(30));
        assertThat(asked).containsExactly(new RescoreTrigger.Night("bed-1", "s1", "c", T0, T0.plusSeconds(180)));
    }

    @Test
    void aFailedRescoreDeadLettersTheMarkAndGarbageIsDeadLettered() {
        RevisedLane lane = lane(true);
        ConsumerRecord<String, byte[]> garbage = new ConsumerRecord<>(Topics.STUDY_EVENTS.name(), 0, offset++, "bed-9",
                new byte[] {'{', 'x'});
        List<Scored> out = lane.score(List.of(garbage,
                rec(StudyMarks.mark("c", "bed-1", "s1", StudyEventType.LIGHTS_ON, T0.plusSeconds(180)))), NOW);
        assertThat(out).hasSize(2);
        for (Scored s : out) {
            assertThat(s.records()).singleElement().satisfies(r -> assertThat(r.topic()).isEqualTo("dead-letter.v1"));
        }
        DeadLetter d = Topics.DEAD_LETTER.valueSerde().deserializer().deserialize("dead-letter.v1",
                out.get(1).records().get(0).value());
        assertThat(d.reason()).contains("morning re-score failed").contains("night not read");
    }

    @Test
    void marksFoldedByARebuildAreNotRescoredAgainButTheAdmissionIsKnown() {
        RevisedLane lane = lane(false);
        ConsumerRecord<String, byte[]> on = rec(StudyMarks.mark("c", "bed-1", "s1", StudyEventType.LIGHTS_ON,
                T0.plusSeconds(180)));
        lane.rebuild(List.of(rec(StudyMarks.admitted("a", "bed-1", "s1", T0)), on));
        assertThat(lane.score(List.of(on), NOW).get(0).records()).isEmpty();
        assertThat(asked).isEmpty();
        List<Scored> out = lane.score(List.of(rec(StudyMarks.amendLightsOn("d", "bed-1", "s1", T0.plusSeconds(150)))), NOW);
        assertThat(out.get(0).records()).hasSize(1);
        assertThat(asked).containsExactly(new RescoreTrigger.Night("bed-1", "s1", "d", T0, T0.plusSeconds(150)));
    }
}
