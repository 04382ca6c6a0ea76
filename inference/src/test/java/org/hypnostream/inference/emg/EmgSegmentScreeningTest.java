package org.hypnostream.inference.emg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.hypnostream.common.event.NeuromuscularEvent;
import org.hypnostream.common.time.ManualClock;
import org.hypnostream.common.time.Micros;
import org.hypnostream.common.wire.EmgSegment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A real recording streamed as segments gives the same final verdict as the offline evaluation. */
class EmgSegmentScreeningTest {
    private static EmgScreeningModel model;

    @BeforeAll
    static void load() {
        model = EmgScreeningModel.load(EmgModelFixture.card());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void streamedRecordingMatchesOfflineVerdict() throws Exception {
        N2001TestRecords.Loaded rec = N2001TestRecords.read("N2001A01BB01");
        ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        EmgSegmentScreening screening = new EmgSegmentScreening(model, clock);
        float[][] windows = model.windowsOf(rec.samples());
        List<NeuromuscularEvent> last = null;
        for (int i = 0; i < windows.length; i++) {
            long received = Micros.of(clock.instant());
            clock.advance(Duration.ofMillis(40));
            last = screening.onSegment(new EmgSegment("emg-lab-1", rec.name(), i, 0, rec.rateHz(), windows[i], Set.of(),
                    i == windows.length - 1, received));
            assertThat(last).extracting(NeuromuscularEvent::kind).containsExactly("WINDOW", "RECORDING");
            assertThat(last.get(1).windowsSoFar()).isEqualTo(i + 1);
            assertThat(last.get(0).latencyMillis()).isEqualTo(40);
            assertThat(last.get(1).isFinal()).isEqualTo(i == windows.length - 1);
        }
        assertThat(screening.openRecordings()).isZero();
        EmgEvaluation.Report offline = EmgEvaluation.evaluate(model,
                List.of(new EmgEvaluation.LabelledRecording(rec.name(), "ALS", rec.samples(), rec.rateHz())));
        RecordingVerdict v = offline.recordings().get(0).verdict();
        assertThat(last.get(1).verdict()).isEqualTo(v.verdict());
        assertThat(last.get(1).confidence()).isCloseTo(v.confidence(), within(1e-6)); // batch of 1 vs 16: ORT float rounding
        assertThat(last.get(1).provenance().modelSha256()).isEqualTo(model.sha256());
    }

    @Test
    void segmentTheModelCannotScoreNamesBedRecordingAndSegment() {
        EmgSegmentScreening screening = new EmgSegmentScreening(model, new ManualClock(Instant.EPOCH));
        EmgSegment shortOne = new EmgSegment("bed-9", "rec-x", 3, 0, model.sampleRateHz(), new float[100], Set.of(), false, 0);
        assertThatThrownBy(() -> screening.onSegment(shortOne))
                .hasMessageContaining("segment 3").hasMessageContaining("rec-x").hasMessageContaining("bed-9").hasMessageContaining("100 samples");
        EmgSegment slow = new EmgSegment("bed-9", "rec-x", 4, 0, 4000, new float[model.windowSamples()], Set.of(), false, 0);
        assertThatThrownBy(() -> screening.onSegment(slow)).hasMessageContaining("rate 4000.0 Hz");
        assertThat(screening.openRecordings()).isZero();
    }
}
