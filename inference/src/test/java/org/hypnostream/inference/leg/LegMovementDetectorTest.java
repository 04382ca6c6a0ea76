package org.hypnostream.inference.leg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hypnostream.inference.leg.LegTestSignals.RATE;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hypnostream.common.event.LegMovementEvent;
import org.hypnostream.common.event.LegSide;
import org.hypnostream.common.time.Micros;
import org.hypnostream.common.wire.LegWindow;
import org.hypnostream.common.wire.QualityFlag;
import org.hypnostream.inference.leg.LegChannelStatus.Condition;
import org.hypnostream.inference.leg.LegTestSignals.Burst;
import org.junit.jupiter.api.Test;

class LegMovementDetectorTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final int N = (int) (150 * RATE);

    private final LegMovementDetector detector = new LegMovementDetector(LegRules.wasm2016());

    private record Run(List<LegMovementEvent> events, List<LegDetection> detections, LegMovementDetector.State state) {
    }

    private Run run(List<LegWindow> windows) {
        LegMovementDetector.State s = detector.newState();
        List<LegMovementEvent> all = new ArrayList<>();
        List<LegDetection> dets = new ArrayList<>();
        for (LegWindow w : windows) {
            LegDetection d = detector.detect(s, w, NOW);
            dets.add(d);
            all.addAll(d.movements());
        }
        return new Run(all, dets, s);
    }

    private static double onsetS(LegMovementEvent e) {
        return (Micros.of(e.onset()) - LegTestSignals.SESSION_START_MICROS) / 1e6;
    }

    private static double offsetS(LegMovementEvent e) {
        return (Micros.of(e.offset()) - LegTestSignals.SESSION_START_MICROS) / 1e6;
    }

    private static List<LegMovementEvent> side(List<LegMovementEvent> all, LegSide side) {
        return all.stream().filter(e -> e.side() == side).toList();
    }

    @Test
    void burstsAcrossWindowBoundariesAreRecoveredExactlyOnceWithTheirTrueOnsetAndOffset() {
        // window k starts at 12 k s and ends at 12 k + 24.005 s: bursts straddle 12, 24, 36, 48, 60, 120 s
        List<Burst> left = List.of(new Burst(10.0, 2.0), new Burst(23.0, 1.5), new Burst(35.5, 3.0),
                new Burst(47.9, 0.8), new Burst(70.0, 5.0), new Burst(100.0, 9.0));
        List<Burst> right = List.of(new Burst(11.0, 1.0), new Burst(59.0, 2.0), new Burst(119.5, 1.0));
        float[] l = LegTestSignals.noise(N, 2.0, 1);
        float[] r = LegTestSignals.noise(N, 2.0, 2);
        LegTestSignals.addBursts(l, left, 40.0, 3);
        LegTestSignals.addBursts(r, right, 40.0, 4);

        Run run = run(LegTestSignals.windows("bed-1", l, r, Set.of(), Set.of()));

        double onsetErr = assertRecovered(side(run.events(), LegSide.LEFT), left);
        onsetErr += assertRecovered(side(run.events(), LegSide.RIGHT), right);
        Set<String> ids = new HashSet<>();
        run.events().forEach(e -> ids.add(e.movementId()));
        assertThat(ids).hasSize(left.size() + right.size());
        assertThat(run.events()).allSatisfy(e -> {
            assertThat(e.provenance().ruleSetId()).isEqualTo("WASM2016-rules-v1");
            assertThat(e.provenance().modelSha256()).isNull();
            assertThat(e.quality()).isEmpty();
        });
        TestReport.line("synthetic: " + run.events().size() + " of " + (left.size() + right.size())
                + " bursts recovered once each, mean |onset error| "
                + Math.round(1000 * onsetErr / (left.size() + right.size())) + " ms");
    }

    /**
     * Asserts one movement per burst, onset within 50 ms and offset within 200 ms (the 10 Hz high-pass rings and
     * the 50 ms average lag, so offsets of a 40 µV burst come ~0.1 s late); returns the summed |onset error|.
     */
    private static double assertRecovered(List<LegMovementEvent> found, List<Burst> truth) {
        assertThat(found).hasSize(truth.size());
        double sum = 0;
        for (int i = 0; i < truth.size(); i++) {
            Burst b = truth.get(i);
            LegMovementEvent e = found.get(i);
            assertThat(onsetS(e)).as("onset of burst at %s s", b.onsetS()).isCloseTo(b.onsetS(), org.assertj.core.data.Offset.offset(0.05));
            assertThat(offsetS(e)).as("offset of burst at %s s", b.onsetS())
                    .isCloseTo(b.onsetS() + b.durationS(), org.assertj.core.data.Offset.offset(0.2));
            TestReport.line("synthetic burst " + b.onsetS() + " s + " + b.durationS() + " s: onset error "
                    + Math.round(1000 * (onsetS(e) - b.onsetS())) + " ms, offset error "
                    + Math.round(1000 * (offsetS(e) - b.onsetS() - b.durationS())) + " ms");
            sum += Math.abs(onsetS(e) - b.onsetS());
        }
        return sum;
    }

    @Test
    void reDeliveredAndOldWindowsDoNotDoubleCount() {
        List<Burst> left = List.of(new Burst(23.0, 2.0), new Burst(47.0, 2.0));
        float[] l = LegTestSignals.noise(N, 2.0, 5);
        float[] r = LegTestSignals.noise(N, 2.0, 6);
        LegTestSignals.addBursts(l, left, 40.0, 7);
        List<LegWindow> ws = LegTestSignals.windows("bed-1", l, r, Set.of(), Set.of());
        List<LegWindow> twice = new ArrayList<>();
        for (LegWindow w : ws) {
            twice.add(w);
            twice.add(w);
            twice.add(ws.get(0));
        }
        Run run = run(twice);
        assertThat(run.events()).hasSize(2);
        assertThat(run.detections().get(1).left()).as("a re-delivered window brings no new samples").isNull();
    }

    @Test
    void onsetNeedsEightMicrovoltsAboveRest() {
        // a 37 Hz sine of amplitude A has a rectified mean of 2A/pi: 9.4 µV -> ~6 µV above rest, 18.8 µV -> ~12 µV
        float[] l = LegTestSignals.noise(N, 1.0, 8);
        float[] r = LegTestSignals.noise(N, 1.0, 9);
        addSine(l, 30.0, 3.0, 9.4, 37.0);
        addSine(r, 30.0, 3.0, 18.8, 37.0);
        Run run = run(LegTestSignals.windows("bed-1", l, r, Set.of(), Set.of()));
        assertThat(side(run.events(), LegSide.LEFT)).isEmpty();
        assertThat(side(run.events(), LegSide.RIGHT)).hasSize(1);
    }

    @Test
    void movementsShorterThanHalfASecondAreNotLegMovements() {
        float[] l = LegTestSignals.noise(N, 2.0, 10);
        float[] r = LegTestSignals.noise(N, 2.0, 11);
        LegTestSignals.addBursts(l, List.of(new Burst(30.0, 0.3)), 40.0, 12);
        LegTestSignals.addBursts(r, List.of(new Burst(30.0, 0.7)), 40.0, 13);
        Run run = run(LegTestSignals.windows("bed-1", l, r, Set.of(), Set.of()));
        assertThat(side(run.events(), LegSide.LEFT)).isEmpty();
        assertThat(side(run.events(), LegSide.RIGHT)).hasSize(1);
        assertThat(run.state().rejectedShort()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void offsetIsTheStartOfHalfASecondOfQuietSoSameLegGapsBelowHalfASecondMerge() {
        float[] l = LegTestSignals.noise(N, 2.0, 14);
        float[] r = LegTestSignals.noise(N, 2.0, 15);
        // left: 1 s, 0.3 s quiet, 1 s -> one movement 30.0-32.3 s; right: 1 s, 0.8 s quiet, 1 s -> two movements
        LegTestSignals.addBursts(l, List.of(new Burst(30.0, 1.0), new Burst(31.3, 1.0)), 40.0, 16);
        LegTestSignals.addBursts(r, List.of(new Burst(30.0, 1.0), new Burst(31.8, 1.0)), 40.0, 17);
        Run run = run(LegTestSignals.windows("bed-1", l, r, Set.of(), Set.of()));
        List<LegMovementEvent> left = side(run.events(), LegSide.LEFT);
        assertThat(left).hasSize(1);
        assertThat(offsetS(left.get(0))).isCloseTo(32.3, org.assertj.core.data.Offset.offset(0.2));
        assertThat(side(run.events(), LegSide.RIGHT)).hasSize(2);
    }

    @Test
    void morphologyCriterionRejectsSparseSpikesThatAasmAccepts() {
        // 10 ms spikes every 0.45 s for 1.5 s: the envelope stays above rest + 2 µV ~0.2 s after each spike, so
        // there is never 0.5 s of quiet (one movement), but the median of every 0.5 s stays near rest
        float[] l = LegTestSignals.noise(N, 1.0, 18);
        float[] r = LegTestSignals.noise(N, 1.0, 19);
        for (double t = 30.0; t < 31.5; t += 0.45) {
            addSine(l, t, 0.01, 150.0, 40.0);
        }
        List<LegWindow> ws = LegTestSignals.windows("bed-1", l, r, Set.of(), Set.of());
        Run wasm = run(ws);
        assertThat(wasm.events()).isEmpty();
        assertThat(wasm.state().rejectedMorphology()).isEqualTo(1);
        LegMovementDetector aasm = new LegMovementDetector(LegRules.aasm());
        LegMovementDetector.State s = aasm.newState();
        List<LegMovementEvent> found = new ArrayList<>();
        ws.forEach(w -> found.addAll(aasm.process(s, w, NOW)));
        assertThat(found).hasSize(1);
        assertThat(found.get(0).provenance().ruleSetId()).isEqualTo("AASM-rules-v1");
    }

    @Test
    void mainsHumIsNotchedAndReportedWhileMovementsAreStillFound() {
        float[] l = LegTestSignals.noise(N, 2.0, 20);
        float[] r = LegTestSignals.noise(N, 2.0, 21);
        addSine(l, 0, 150, 40.0, 50.0);
        addSine(r, 0, 150, 40.0, 60.0);
        LegTestSignals.addBursts(l, List.of(new Burst(40.0, 2.0)), 40.0, 22);
        Run run = run(LegTestSignals.windows("bed-1", l, r, Set.of(), Set.of()));
        assertThat(side(run.events(), LegSide.LEFT)).hasSize(1);
        assertThat(side(run.events(), LegSide.RIGHT)).isEmpty();
        assertThat(run.detections()).allSatisfy(d -> {
            assertThat(d.left().condition()).isEqualTo(Condition.MAINS);
            assertThat(d.right().condition()).isEqualTo(Condition.MAINS);
            assertThat(d.left().alertCode()).isEqualTo("LEG_CHANNEL_MAINS");
        });
    }

    @Test
    void ecgBleedDoesNotFloodMovements() {
        for (double rr : new double[] {0.8, 0.46}) {
            float[] l = LegTestSignals.noise(N, 2.0, 23);
            float[] r = LegTestSignals.noise(N, 2.0, 24);
            for (double t = 1.0; t < 149; t += rr) {
                addQrs(l, t, 80.0);
                addQrs(r, t, 30.0);
            }
            Run run = run(LegTestSignals.windows("bed-1", l, r, Set.of(), Set.of()));
            TestReport.line("ECG bleed every " + rr + " s: " + run.events().size() + " movements, "
                    + run.state().rejectedShort() + " too short, " + run.state().rejectedMorphology()
                    + " failed morphology");
            assertThat(run.events()).as("ECG every %s s", rr).isEmpty();
        }
    }

    @Test
    void flatSaturatedAndDisconnectedChannelsGiveAStatusNotMovements() {
        float[] flat = new float[N];
        float[] sat = LegTestSignals.noise(N, 300.0, 25);
        for (int i = 0; i < N; i++) {
            sat[i] = Math.max(-50f, Math.min(50f, sat[i]));
        }
        float[] nan = new float[N];
        java.util.Arrays.fill(nan, Float.NaN);
        for (float[][] pair : new float[][][] {{flat, sat}, {nan, flat}}) {
            Run run = run(LegTestSignals.windows("bed-1", pair[0], pair[1], Set.of(), Set.of()));
            assertThat(run.events()).isEmpty();
            assertThat(run.detections()).allSatisfy(d -> {
                assertThat(d.left().blocksDetection()).isTrue();
                assertThat(d.right().blocksDetection()).isTrue();
            });
        }
        Run a = run(LegTestSignals.windows("bed-1", flat, sat, Set.of(), Set.of()));
        assertThat(a.detections().get(0).left().condition()).isEqualTo(Condition.FLAT);
        assertThat(a.detections().get(0).right().condition()).isEqualTo(Condition.SATURATED);
        Run b = run(LegTestSignals.windows("bed-1", nan, flat, Set.of(), Set.of()));
        assertThat(b.detections().get(0).left().condition()).isEqualTo(Condition.DISCONNECTED);
    }

    @Test
    void coarselyQuantisedChannelIsReportedAndNotScored() {
        float[] l = LegTestSignals.noise(N, 40.0, 31);
        for (int i = 0; i < N; i++) {
            l[i] = (float) (31.25 * Math.round(l[i] / 31.25));
        }
        float[] r = LegTestSignals.noise(N, 2.0, 32);
        Run run = run(LegTestSignals.windows("bed-1", l, r, Set.of(), Set.of()));
        assertThat(run.events()).isEmpty();
        assertThat(run.detections()).allSatisfy(d -> {
            assertThat(d.left().condition()).isEqualTo(Condition.COARSE);
            assertThat(d.right().condition()).isEqualTo(Condition.OK);
        });
    }

    @Test
    void oneLegMissingStillScoresTheOtherLeg() {
        float[] l = new float[N];
        float[] r = LegTestSignals.noise(N, 2.0, 26);
        LegTestSignals.addBursts(r, List.of(new Burst(30.0, 2.0), new Burst(60.0, 2.0)), 40.0, 27);
        Run run = run(LegTestSignals.windows("bed-1", l, r, EnumSet.of(QualityFlag.MISSING_CHANNEL), Set.of()));
        assertThat(run.events()).hasSize(2).allSatisfy(e -> assertThat(e.side()).isEqualTo(LegSide.RIGHT));
        assertThat(run.detections()).allSatisfy(d -> assertThat(d.left().alertCode()).isEqualTo("LEG_CHANNEL_DISCONNECTED"));
    }

    @Test
    void aMissingWindowEndsTheOpenMovementAtTheGapWithAGapFlag() {
        float[] l = LegTestSignals.noise(N, 2.0, 28);
        float[] r = LegTestSignals.noise(N, 2.0, 29);
        LegTestSignals.addBursts(l, List.of(new Burst(34.0, 4.0), new Burst(70.0, 2.0)), 40.0, 30);
        List<LegWindow> ws = new ArrayList<>(LegTestSignals.windows("bed-1", l, r, Set.of(), Set.of()));
        ws.remove(2); // window 2 (24-48 s) lost: next sample expected 36.005 s, window 3 starts at 36 s... 3 lost too
        ws.remove(2);
        Run run = run(ws);
        List<LegMovementEvent> left = side(run.events(), LegSide.LEFT);
        assertThat(left).hasSize(2);
        assertThat(left.get(0).quality()).contains(QualityFlag.GAP);
        assertThat(onsetS(left.get(0))).isCloseTo(34.0, org.assertj.core.data.Offset.offset(0.05));
        assertThat(offsetS(left.get(0))).isCloseTo(36.005, org.assertj.core.data.Offset.offset(0.05));
        assertThat(left.get(1).quality()).isEmpty();
    }

    static void addSine(float[] x, double startS, double durS, double ampUv, double hz) {
        int a = (int) Math.round(startS * RATE);
        int e = Math.min(x.length, (int) Math.round((startS + durS) * RATE));
        for (int i = a; i < e; i++) {
            x[i] += (float) (ampUv * Math.sin(2 * Math.PI * hz * i / RATE));
        }
    }

    /** A 60 ms biphasic QRS-like complex of the given peak (µV) at time t. */
    static void addQrs(float[] x, double t, double peakUv) {
        int c = (int) Math.round(t * RATE);
        int[] off = {-6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5};
        double[] shape = {-0.05, -0.1, -0.15, 0.1, 0.5, 0.9, 1.0, 0.6, -0.2, -0.3, -0.15, -0.05};
        for (int k = 0; k < off.length; k++) {
            int i = c + off[k];
            if (i >= 0 && i < x.length) {
                x[i] += (float) (peakUv * shape[k]);
            }
        }
    }
}
