package org.hypnostream.inference.emg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.hypnostream.common.event.DeadLetter;
import org.hypnostream.common.event.NeuromuscularEvent;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.common.wire.EmgSegment;
import org.hypnostream.common.wire.QualityFlag;
import org.hypnostream.inference.service.EmgLane;
import org.hypnostream.inference.service.Scored;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The EMG lane of the inference service: segments in, window and recording events out, bad records dead-lettered. */
class EmgLaneTest {
    private static final Instant NOW = Instant.parse("2026-11-21T00:00:00Z");
    private static final String TOPIC = Topics.EMG_SEGMENTS.name();
    private static EmgScreeningModel model;
    private static N2001TestRecords.Loaded rec;

    @BeforeAll
    static void load() throws Exception {
        model = EmgScreeningModel.load(EmgModelFixture.card());
        rec = N2001TestRecords.read("N2001A01BB01");
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** The recording as the spine cuts it: full segments, then the closing segment (the NaN-padded tail, last). */
    private static List<EmgSegment> segments(String bed, String recording) {
        int w = model.windowSamples();
        float[][] full = model.windowsOf(rec.samples());
        List<EmgSegment> out = new ArrayList<>();
        for (int i = 0; i < full.length; i++) {
            out.add(new EmgSegment(bed, recording, i, 0, rec.rateHz(), full[i], Set.of(), false, 0));
        }
        float[] tail = new float[w];
        Arrays.fill(tail, Float.NaN);
        int n = rec.samples().length - full.length * w;
        System.arraycopy(rec.samples(), full.length * w, tail, 0, n);
        out.add(new EmgSegment(bed, recording, full.length, 0, rec.rateHz(), tail,
                EnumSet.of(QualityFlag.GAP, QualityFlag.PARTIAL), true, 0));
        return out;
    }

    private static List<ConsumerRecord<String, byte[]>> records(List<EmgSegment> segments) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        for (EmgSegment s : segments) {
            out.add(new ConsumerRecord<>(TOPIC, 0, out.size(), s.bedId(),
                    Topics.EMG_SEGMENTS.valueSerde().serializer().serialize(TOPIC, s)));
        }
        return out;
    }

    private static List<NeuromuscularEvent> events(List<Scored> scored) {
        List<NeuromuscularEvent> out = new ArrayList<>();
        for (Scored s : scored) {
            for (ProducerRecord<String, byte[]> r : s.records()) {
                if (r.topic().equals(Topics.NEUROMUSCULAR_EVENTS.name())) {
                    out.add(Topics.NEUROMUSCULAR_EVENTS.valueSerde().deserializer().deserialize(r.topic(), r.value()));
                }
            }
        }
        return out;
    }

    private static List<DeadLetter> deadLetters(List<Scored> scored) {
        List<DeadLetter> out = new ArrayList<>();
        for (Scored s : scored) {
            for (ProducerRecord<String, byte[]> r : s.records()) {
                if (r.topic().equals(Topics.DEAD_LETTER.name())) {
                    out.add(Topics.DEAD_LETTER.valueSerde().deserializer().deserialize(r.topic(), r.value()));
                }
            }
        }
        return out;
    }

    @Test
    void everySegmentGivesWindowAndRunningVerdictAndTheClosingSegmentTheOfflineFinalVerdict() {
        List<ConsumerRecord<String, byte[]>> all = records(segments("emg-lab-1", rec.name()));
        EmgLane lane = new EmgLane(model, new SimpleMeterRegistry());
        List<Scored> scored = lane.score(all, NOW);
        assertThat(scored).hasSize(all.size());
        List<NeuromuscularEvent> ev = events(scored);
        int windows = all.size() - 1;
        assertThat(ev).hasSize(2 * windows + 1);
        assertThat(ev.stream().filter(e -> e.kind().equals(EmgSegmentScreening.KIND_WINDOW))).hasSize(windows);
        List<NeuromuscularEvent> verdicts = ev.stream().filter(e -> e.kind().equals(EmgSegmentScreening.KIND_RECORDING)).toList();
        assertThat(verdicts).hasSize(windows + 1);
        assertThat(verdicts.subList(0, windows)).noneMatch(NeuromuscularEvent::isFinal);
        NeuromuscularEvent fin = verdicts.get(windows);
        assertThat(fin.isFinal()).isTrue();
        assertThat(fin.windowsSoFar()).isEqualTo(windows);
        assertThat(fin.windowIndex()).isEqualTo(windows);
        assertThat(lane.openRecordings()).isZero();

        RecordingVerdict offline = EmgEvaluation.evaluate(model,
                List.of(new EmgEvaluation.LabelledRecording(rec.name(), "ALS", rec.samples(), rec.rateHz())))
                .recordings().get(0).verdict();
        assertThat(fin.verdict()).isEqualTo(offline.verdict());
        assertThat(fin.confidence()).isCloseTo(offline.confidence(), within(1e-6));
        for (int c = 0; c < 3; c++) {
            assertThat(fin.probabilities().get(c)).isCloseTo(offline.meanProbabilities()[c], within(1e-6));
        }
        assertThat(fin.provenance().modelSha256()).isEqualTo(model.sha256());

        EmgLane batched = new EmgLane(model, new SimpleMeterRegistry());
        List<NeuromuscularEvent> inBatches = new ArrayList<>();
        for (int i = 0; i < all.size(); i += 4) {
            inBatches.addAll(events(batched.score(all.subList(i, Math.min(all.size(), i + 4)), NOW)));
        }
        assertThat(inBatches).isEqualTo(ev);
    }

    @Test
    void stateRebuiltFromHistoryContinuesExactlyLikeAnUninterruptedRun() {
        List<ConsumerRecord<String, byte[]>> all = records(segments("emg-lab-2", rec.name()));
        int cut = all.size() / 2;
        EmgLane uninterrupted = new EmgLane(model, new SimpleMeterRegistry());
        uninterrupted.score(all.subList(0, cut), NOW);
        List<NeuromuscularEvent> expected = events(uninterrupted.score(all.subList(cut, all.size()), NOW));

        EmgLane restarted = new EmgLane(model, new SimpleMeterRegistry());
        restarted.rebuild(all.subList(0, cut));
        List<NeuromuscularEvent> after = events(restarted.score(all.subList(cut, all.size()), NOW));
        assertThat(after).isEqualTo(expected);
        assertThat(after.get(after.size() - 1).isFinal()).isTrue();

        EmgLane forgot = new EmgLane(model, new SimpleMeterRegistry());
        forgot.rebuild(all.subList(0, cut));
        forgot.forget(List.of(new org.apache.kafka.common.TopicPartition(TOPIC, 0)));
        assertThat(forgot.openRecordings()).isZero();
        List<NeuromuscularEvent> fresh = events(forgot.score(all.subList(cut, all.size()), NOW));
        assertThat(fresh.get(fresh.size() - 1).windowsSoFar()).isEqualTo(all.size() - 1 - cut);
    }

    @Test
    void badRecordsAreDeadLetteredAndTheLaneGoesOn() {
        EmgLane lane = new EmgLane(model, new SimpleMeterRegistry());
        EmgSegment good = segments("bed-3", "rec-a").get(0);
        float[] gap = good.samples().clone();
        gap[100] = Float.NaN;
        List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>();
        batch.add(new ConsumerRecord<>(TOPIC, 0, 0, "bed-3", new byte[] {1, 2, 3}));
        batch.addAll(records(List.of(
                new EmgSegment("bed-3", "rec-a", 0, 0, rec.rateHz(), new float[500], Set.of(), false, 0),
                new EmgSegment("bed-3", "rec-a", 0, 0, rec.rateHz(), gap, Set.of(QualityFlag.GAP), false, 0))));
        batch.add(new ConsumerRecord<>(TOPIC, 0, 3, "bed-other",
                Topics.EMG_SEGMENTS.valueSerde().serializer().serialize(TOPIC, good)));
        batch.addAll(records(List.of(good)));
        List<Scored> scored = lane.score(batch, NOW);
        assertThat(scored).hasSize(5);
        List<DeadLetter> dl = deadLetters(scored);
        assertThat(dl).hasSize(4);
        assertThat(dl.get(1).reason()).contains("segment 0", "rec-a", "bed-3", "500 samples");
        assertThat(dl.get(2).reason()).contains("NaN");
        assertThat(dl.get(3).reason()).contains("key bed-other");
        assertThat(dl).allSatisfy(d -> assertThat(d.sourceTopic()).isEqualTo(TOPIC));
        List<NeuromuscularEvent> ev = events(scored);
        assertThat(ev).hasSize(2);
        assertThat(ev.get(1).windowsSoFar()).isEqualTo(1);
    }

    @Test
    void aRecordingClosedBeforeAnyWindowEndsUnscored() {
        EmgLane lane = new EmgLane(model, new SimpleMeterRegistry());
        float[] tail = new float[model.windowSamples()];
        Arrays.fill(tail, Float.NaN);
        tail[0] = 1f;
        List<NeuromuscularEvent> ev = events(lane.score(records(List.of(new EmgSegment("bed-4", "short", 0, 0, rec.rateHz(),
                tail, EnumSet.of(QualityFlag.PARTIAL, QualityFlag.GAP), true, 0))), NOW));
        assertThat(ev).hasSize(1);
        assertThat(ev.get(0).isFinal()).isTrue();
        assertThat(ev.get(0).verdict()).isEqualTo(EmgSegmentScreening.UNSCORED);
        assertThat(ev.get(0).windowsSoFar()).isZero();
        assertThat(ev.get(0).confidence()).isZero();
    }
}
