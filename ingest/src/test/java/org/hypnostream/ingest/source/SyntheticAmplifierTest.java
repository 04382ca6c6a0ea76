package org.hypnostream.ingest.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.hypnostream.common.event.LegSide;
import org.hypnostream.common.event.Stage;
import org.hypnostream.common.time.Micros;
import org.hypnostream.common.wire.ChannelType;
import org.hypnostream.common.wire.SampleBlock;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class SyntheticAmplifierTest {
    private static final Logger LOG = LoggerFactory.getLogger(SyntheticAmplifierTest.class);
    static final Instant START = Instant.parse("2026-01-10T22:00:00Z");
    static final int SECONDS = 4 * 3600;
    /** The first 4 h of bed seed 7, whole: eeg[channel][sample], leg[side][sample]. */
    static float[][] eeg;
    static float[][] leg;
    static SyntheticAmplifier amp;

    @BeforeAll
    static void generate() {
        amp = new SyntheticAmplifier("bed-7", 7, START, Duration.ofHours(8));
        eeg = new float[9][SECONDS * 256];
        leg = new float[2][SECONDS * 200];
        long t0 = System.nanoTime();
        long eegSeq = 0;
        long legSeq = 0;
        while (legSeq < SECONDS) {
            SampleBlock b = amp.next().orElseThrow();
            long expectedSecond = b.sourceId().endsWith("256hz") ? eegSeq : legSeq;
            assertThat(b.seq()).isEqualTo(expectedSecond);
            assertThat(b.deviceTimeMicros()).isEqualTo(Micros.of(START) + expectedSecond * 1_000_000L);
            assertThat(b.sessionStartMicros()).isEqualTo(Micros.of(START));
            assertThat(b.receiveTimeMicros()).isZero();
            float[][] dst = b.sourceId().endsWith("256hz") ? eeg : leg;
            for (int c = 0; c < dst.length; c++) {
                System.arraycopy(b.samples()[c], 0, dst[c], (int) (b.seq() * b.samplesPerChannel()), b.samplesPerChannel());
            }
            if (b.sourceId().endsWith("256hz")) {
                eegSeq++;
            } else {
                legSeq++;
            }
        }
        LOG.info("generated {} s of one synthetic bed (9 ch @ 256 Hz + 2 ch @ 200 Hz) in {} ms", SECONDS,
                (System.nanoTime() - t0) / 1_000_000);
    }

    @Test
    void montageAndSourcesAreTheRealisticPsg() {
        SyntheticAmplifier a = new SyntheticAmplifier("bed-1", 1, START);
        SampleBlock e = a.next().orElseThrow();
        SampleBlock l = a.next().orElseThrow();
        assertThat(e.sourceId()).isEqualTo("bed-1/256hz");
        assertThat(e.sampleRateHz()).isEqualTo(256.0);
        assertThat(e.channels()).extracting(c -> c.label()).containsExactly("EEG Fpz-Cz", "EEG Pz-Oz", "EEG C3-M2",
                "EEG C4-M1", "EEG O1-M2", "EEG F4-M1", "EOG horizontal", "EOG E2-M1", "EMG chin");
        assertThat(e.channels()).extracting(c -> c.type()).containsExactly(ChannelType.EEG, ChannelType.EEG,
                ChannelType.EEG, ChannelType.EEG, ChannelType.EEG, ChannelType.EEG, ChannelType.EOG, ChannelType.EOG,
                ChannelType.EMG_CHIN);
        assertThat(l.sourceId()).isEqualTo("bed-1/200hz");
        assertThat(l.channels()).extracting(c -> c.type()).containsExactly(ChannelType.EMG_LEG_LEFT, ChannelType.EMG_LEG_RIGHT);
        assertThat(l.samplesPerChannel()).isEqualTo(200);
        assertThat(e.channels()).allMatch(c -> c.unit().equals("uV"));
    }

    @Test
    void sameSeedSameSamplesOtherSeedOtherSamples() {
        SyntheticAmplifier a = new SyntheticAmplifier("bed-7", 7, START, Duration.ofHours(8));
        SyntheticAmplifier b = new SyntheticAmplifier("bed-7", 7, START, Duration.ofHours(8));
        SyntheticAmplifier c = new SyntheticAmplifier("bed-7", 8, START, Duration.ofHours(8));
        assertThat(a.hypnogram()).isEqualTo(b.hypnogram());
        assertThat(a.legMovements()).isEqualTo(b.legMovements());
        assertThat(a.hypnogram()).isNotEqualTo(c.hypnogram());
        for (int i = 0; i < 200; i++) {
            SampleBlock x = a.next().orElseThrow();
            assertThat(b.next().orElseThrow()).isEqualTo(x);
            assertThat(c.next().orElseThrow().samples()).isNotEqualTo(x.samples());
        }
    }

    @Test
    void hypnogramIsAPlausibleNight() {
        for (long seed = 1; seed <= 20; seed++) {
            List<Stage> h = new SyntheticAmplifier("b", seed, START).hypnogram();
            assertThat(h).hasSize(960).doesNotContain(Stage.UNSCORED);
            assertThat(h.get(0)).isEqualTo(Stage.W);
            int remPeriods = 0;
            for (int i = 1; i < h.size(); i++) {
                if (h.get(i) == Stage.REM && h.get(i - 1) != Stage.REM) {
                    remPeriods++;
                }
            }
            assertThat(remPeriods).as("REM periods = sleep cycles, seed " + seed).isBetween(4, 5);
            assertThat(h.indexOf(Stage.N3)).as("N3 before the first REM").isLessThan(h.indexOf(Stage.REM));
            Map<Stage, Integer> first = count(h.subList(0, 480));
            Map<Stage, Integer> second = count(h.subList(480, 960));
            assertThat(first.get(Stage.N3)).as("N3 early").isGreaterThan(second.get(Stage.N3));
            assertThat(second.get(Stage.REM)).as("REM later").isGreaterThan(first.get(Stage.REM));
            Map<Stage, Integer> all = count(h);
            assertThat(all.get(Stage.N2)).as("N2 the most common sleep stage").isGreaterThan(all.get(Stage.N3)).isGreaterThan(all.get(Stage.N1));
        }
    }

    @Test
    void legMovementsAreInTheLegEmgOnTheirSideOnly() {
        List<TrueLegMovement> inRange = new ArrayList<>();
        for (TrueLegMovement m : amp.legMovements()) {
            if (m.offsetSeconds() < SECONDS - 1) {
                inRange.add(m);
            }
        }
        assertThat(inRange).hasSizeGreaterThan(10);
        assertThat(inRange).anyMatch(TrueLegMovement::periodicSeries);
        double quiet = rms(leg[0], 0, 60); // the first minute has no movement
        assertThat(amp.legMovements().get(0).onsetSeconds()).isGreaterThan(60);
        for (TrueLegMovement m : inRange) {
            assertThat(m.durationSeconds()).isBetween(0.5, 10.0);
            double left = rms(leg[0], m.onsetSeconds(), m.offsetSeconds());
            double right = rms(leg[1], m.onsetSeconds(), m.offsetSeconds());
            boolean l = m.side() != LegSide.RIGHT;
            boolean r = m.side() != LegSide.LEFT;
            assertThat(l ? left : right).as("active leg of " + m).isGreaterThan(5 * quiet);
            if (!(l && r)) {
                assertThat(l ? right : left).as("resting leg of " + m).isLessThan(2 * quiet);
            }
        }
        for (int i = 1; i < inRange.size(); i++) {
            TrueLegMovement a = inRange.get(i - 1);
            TrueLegMovement b = inRange.get(i);
            assertThat(b.onsetSeconds()).isGreaterThan(a.offsetSeconds());
            if (a.periodicSeries() && b.periodicSeries() && b.onsetSeconds() - a.onsetSeconds() < 45) {
                assertThat(b.onsetSeconds() - a.onsetSeconds()).as("IMI").isBetween(20.0, 40.0);
            }
        }
    }

    @Test
    void eegSpectrumFollowsTheStage() {
        List<Stage> h = amp.hypnogram();
        Map<Stage, List<Integer>> epochs = new EnumMap<>(Stage.class);
        for (int e = 0; e < SECONDS / 30; e++) {
            epochs.computeIfAbsent(h.get(e), s -> new ArrayList<>()).add(e);
        }
        assertThat(epochs.keySet()).contains(Stage.W, Stage.N1, Stage.N2, Stage.N3, Stage.REM);
        int pz = 1;
        int fpz = 0;
        int c3 = 2;
        int eog = 6;
        double alphaW = mean(epochs.get(Stage.W), pz, 8, 12);
        double alphaN3 = mean(epochs.get(Stage.N3), pz, 8, 12);
        assertThat(alphaW).as("alpha Pz-Oz W vs N3").isGreaterThan(3 * alphaN3);
        double deltaN3 = mean(epochs.get(Stage.N3), fpz, 0.5, 4);
        double deltaW = mean(epochs.get(Stage.W), fpz, 0.5, 4);
        assertThat(deltaN3).as("delta Fpz-Cz N3 vs W").isGreaterThan(3 * deltaW);
        assertThat(mean(epochs.get(Stage.N1), pz, 4, 8)).as("theta N1 vs W").isGreaterThan(2 * mean(epochs.get(Stage.W), pz, 4, 8));
        assertThat(mean(epochs.get(Stage.N2), c3, 12, 14)).as("spindle band N2 vs REM").isGreaterThan(1.5 * mean(epochs.get(Stage.REM), c3, 12, 14));
        assertThat(mean(epochs.get(Stage.REM), eog, 0.5, 5)).as("eye movements REM vs N2").isGreaterThan(2 * mean(epochs.get(Stage.N2), eog, 0.5, 5));
        double stdN3 = meanStd(epochs.get(Stage.N3), fpz);
        double stdN2 = meanStd(epochs.get(Stage.N2), fpz);
        double stdRem = meanStd(epochs.get(Stage.REM), fpz);
        LOG.info("Fpz-Cz std (uV): W {} N1 {} N2 {} N3 {} REM {}; EOG std W {} N2 {} REM {}", meanStd(epochs.get(Stage.W), fpz),
                meanStd(epochs.get(Stage.N1), fpz), stdN2, stdN3, stdRem, meanStd(epochs.get(Stage.W), eog),
                meanStd(epochs.get(Stage.N2), eog), meanStd(epochs.get(Stage.REM), eog));
        // Sleep-EDF SC medians: Fpz-Cz 22 / 9.5 / 14.5 / 29 / 10.5 uV (W/N1/N2/N3/REM)
        assertThat(stdN3).isGreaterThan(stdN2).isGreaterThan(stdRem).isBetween(15.0, 50.0);
        assertThat(meanStd(epochs.get(Stage.W), eog)).as("blinks and saccades in W").isGreaterThan(2 * meanStd(epochs.get(Stage.N2), eog));
        assertThat(meanStd(epochs.get(Stage.REM), 8)).as("chin atonia in REM").isLessThan(0.5 * meanStd(epochs.get(Stage.W), 8));
        assertThat(mean(epochs.get(Stage.N2), pz, 49.5, 50.5)).as("50 Hz mains").isGreaterThan(5 * mean(epochs.get(Stage.N2), pz, 44.5, 45.5));
    }

    private static double mean(List<Integer> ep, int channel, double lo, double hi) {
        double s = 0;
        List<Integer> use = ep.subList(0, Math.min(ep.size(), 8));
        for (int e : use) {
            s += Spectra.bandPower(java.util.Arrays.copyOfRange(eeg[channel], e * 30 * 256, (e + 1) * 30 * 256), 256, lo, hi);
        }
        return s / use.size();
    }

    private static double meanStd(List<Integer> ep, int channel) {
        double s = 0;
        for (int e : ep) {
            s += Spectra.std(java.util.Arrays.copyOfRange(eeg[channel], e * 30 * 256, (e + 1) * 30 * 256));
        }
        return s / ep.size();
    }

    private static double rms(float[] x, double from, double to) {
        int a = (int) Math.round(from * 200);
        int b = (int) Math.round(to * 200);
        double s = 0;
        for (int i = a; i < b; i++) {
            s += x[i] * x[i];
        }
        return Math.sqrt(s / (b - a));
    }

    private static Map<Stage, Integer> count(List<Stage> h) {
        Map<Stage, Integer> m = new EnumMap<>(Stage.class);
        for (Stage s : Stage.values()) {
            m.put(s, 0);
        }
        h.forEach(s -> m.merge(s, 1, Integer::sum));
        return m;
    }
}
