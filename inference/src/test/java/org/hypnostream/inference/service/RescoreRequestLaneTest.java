package org.hypnostream.inference.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.hypnostream.common.event.DeadLetter;
import org.hypnostream.common.event.Provenance;
import org.hypnostream.common.event.RescoreRequest;
import org.hypnostream.common.event.RevisedHypnogram;
import org.hypnostream.common.event.Stage;
import org.hypnostream.common.time.Micros;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.common.wire.Epoch;
import org.hypnostream.inference.stage.StageResult;
import org.junit.jupiter.api.Test;

/**
 * The on-demand re-score lane with a fake night source and re-scorer (no broker, no model): a request yields one
 * revised record for its stretch on revised-stages.v1 naming the request; a request older than a day yields nothing;
 * a failed re-score, garbage and a key that is not the request's bed are dead-lettered, never thrown.
 */
class RescoreRequestLaneTest {
    private static final Instant NOW = Instant.parse("2026-12-07T07:00:00Z");
    private static final Instant T0 = Micros.toInstant(TestEpochs.SESSION_START_MICROS);
    private static final Provenance V3 = Provenance.model("stager-features-welch-gru-v3", "ef".repeat(32), "CPU");
    private final List<RescoreTrigger.Night> asked = new ArrayList<>();
    private long offset;

    private RescoreRequestLane lane(boolean failing) {
        NightSource source = n -> {
            asked.add(n);
            if (failing) {
                throw new IllegalStateException("night not read within PT60S");
            }
            List<Epoch> out = new ArrayList<>();
            for (int i = 4; i < 8; i++) {
                out.add(TestEpochs.epoch(n.bedId(), i, false));
            }
            return out;
        };
        return new RescoreRequestLane(new NightRescorer(source, epochs -> epochs.stream()
                .map(e -> new StageResult(Stage.N3, List.of(0.1, 0.1, 0.1, 0.6, 0.1), false, null, null)).toList(), V3));
    }

    private ConsumerRecord<String, byte[]> rec(String key, RescoreRequest q) {
        return new ConsumerRecord<>(Topics.RESCORE_REQUESTS.name(), 1, offset++, key,
                Topics.RESCORE_REQUESTS.valueSerde().serializer().serialize(Topics.RESCORE_REQUESTS.name(), q));
    }

    private static RescoreRequest request(String id, Instant recordedAt) {
        return new RescoreRequest(id, "bed-1", "s1", T0.plusSeconds(120), T0.plusSeconds(240), "tech", recordedAt);
    }

    @Test
    void aRequestYieldsOneRevisedRecordForItsStretch() {
        List<Scored> out = lane(false).score(List.of(rec("bed-1", request("q1", NOW.minusSeconds(5)))), NOW);
        assertThat(out).singleElement().satisfies(s -> {
            assertThat(s.offset()).isEqualTo(0);
            assertThat(s.source().topic()).isEqualTo("rescore-requests.v1");
        });
        assertThat(out.get(0).records()).singleElement().satisfies(r -> {
            assertThat(r.topic()).isEqualTo("revised-stages.v1");
            assertThat(r.key()).isEqualTo("bed-1");
            RevisedHypnogram h = Topics.REVISED_STAGES.valueSerde().deserializer().deserialize(r.topic(), r.value());
            assertThat(h.triggerEventId()).isEqualTo("q1");
            assertThat(h.studyId()).isEqualTo("s1");
            assertThat(h.from()).isEqualTo(T0.plusSeconds(120));
            assertThat(h.until()).isEqualTo(T0.plusSeconds(240));
            assertThat(h.provenance()).isEqualTo(V3);
            assertThat(h.epochs()).extracting(RevisedHypnogram.RevisedEpoch::epochIndex).containsExactly(4L, 5L, 6L, 7L);
            assertThat(h.epochs()).allSatisfy(e -> assertThat(e.stage()).isEqualTo(Stage.N3));
        });
        assertThat(asked).containsExactly(new RescoreTrigger.Night("bed-1", "s1", "q1", T0.plusSeconds(120),
                T0.plusSeconds(240)));
    }

    @Test
    void anOldRequestIsHistoryAndBadOnesAreDeadLettered() {
        RescoreRequestLane lane = lane(false);
        List<Scored> out = lane.score(List.of(rec("bed-1", request("old", NOW.minus(Duration.ofHours(25)))),
                rec("bed-2", request("q2", NOW)),
                new ConsumerRecord<>(Topics.RESCORE_REQUESTS.name(), 1, offset++, "bed-1", new byte[] {'{'})), NOW);
        assertThat(out).hasSize(3);
        assertThat(out.get(0).records()).isEmpty();
        assertThat(asked).isEmpty();
        for (int i = 1; i < 3; i++) {
            DeadLetter d = Topics.DEAD_LETTER.valueSerde().deserializer().deserialize("dead-letter.v1",
                    out.get(i).records().get(0).value());
            assertThat(d.reason()).startsWith("undecodable re-score request");
        }
        List<Scored> failed = lane(true).score(List.of(rec("bed-1", request("q3", NOW))), NOW);
        DeadLetter d = Topics.DEAD_LETTER.valueSerde().deserializer().deserialize("dead-letter.v1",
                failed.get(0).records().get(0).value());
        assertThat(d.reason()).contains("re-score request failed").contains("night not read");
    }

    @Test
    void aStagerWithoutReScoreDeadLettersEachFreshRequestWithTheReason() {
        RescoreRequestLane lane = RescoreRequestLane.unanswerable("stager-features-welch-hmm-v2", "CPU");
        assertThat(lane.inputTopic()).isEqualTo("rescore-requests.v1");
        List<Scored> out = lane.score(List.of(rec("bed-1", request("q4", NOW.minusSeconds(5))),
                rec("bed-1", request("old", NOW.minus(Duration.ofHours(25)))),
                new ConsumerRecord<>(Topics.RESCORE_REQUESTS.name(), 1, offset++, "bed-1", new byte[] {'{'})), NOW);
        assertThat(out).hasSize(3);
        assertThat(out.get(0).offset()).isEqualTo(0);
        assertThat(out.get(0).records()).singleElement().satisfies(r -> {
            assertThat(r.topic()).isEqualTo("dead-letter.v1");
            assertThat(r.key()).isEqualTo("bed-1");
            DeadLetter d = Topics.DEAD_LETTER.valueSerde().deserializer().deserialize(r.topic(), r.value());
            assertThat(d.reason()).isEqualTo(RescoreRequestLane.noRescoreReason("stager-features-welch-hmm-v2"))
                    .contains("stager-features-welch-hmm-v2 has no morning re-score");
            assertThat(d.sourceTopic()).isEqualTo("rescore-requests.v1");
            assertThat(d.offset()).isEqualTo(0);
        });
        assertThat(out.get(1).records()).isEmpty();
        DeadLetter bad = Topics.DEAD_LETTER.valueSerde().deserializer().deserialize("dead-letter.v1",
                out.get(2).records().get(0).value());
        assertThat(bad.reason()).startsWith("undecodable re-score request");
        assertThat(lane.tags().stream().map(t -> t.getKey() + "=" + t.getValue()))
                .contains("model=stager-features-welch-hmm-v2", "lane=rescore");
    }
}
