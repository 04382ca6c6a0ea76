package org.hypnostream.inference.leg;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.hypnostream.common.wire.LegWindow;
import org.hypnostream.common.wire.QualityFlag;

/** Synthetic tibialis EMG for tests: Gaussian noise floor plus noise bursts at known times; window cutting. */
final class LegTestSignals {
    static final double RATE = 200.0;
    static final int HOP = 2400;
    static final long SESSION_START_MICROS = 1_700_000_000_000_000L;

    private LegTestSignals() {
    }

    /** A scored burst: onset and duration in seconds. */
    record Burst(double onsetS, double durationS) {
    }

    static float[] noise(int n, double sigmaUv, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (sigmaUv * r.nextGaussian());
        }
        return x;
    }

    /** Adds white-noise bursts of the given RMS (µV) with 20 ms raised-cosine edges. */
    static void addBursts(float[] x, List<Burst> bursts, double rmsUv, long seed) {
        Random r = new Random(seed);
        for (Burst b : bursts) {
            int a = (int) Math.round(b.onsetS() * RATE);
            int e = (int) Math.round((b.onsetS() + b.durationS()) * RATE);
            int edge = 4;
            for (int i = a; i < e && i < x.length; i++) {
                double w = Math.min(1.0, Math.min(i - a + 1, e - i) / (double) edge);
                x[i] += (float) (w * rmsUv * r.nextGaussian());
            }
        }
    }

    /** Cuts two legs into leg windows of 4801 samples with hop 2400 (only complete windows). */
    static List<LegWindow> windows(String bed, float[] left, float[] right, Set<QualityFlag> lq, Set<QualityFlag> rq) {
        List<LegWindow> out = new ArrayList<>();
        for (int k = 0; (long) k * HOP + LegWindow.SAMPLES <= left.length; k++) {
            int s = k * HOP;
            out.add(new LegWindow(bed, k, SESSION_START_MICROS, RATE, HOP,
                    java.util.Arrays.copyOfRange(left, s, s + LegWindow.SAMPLES),
                    java.util.Arrays.copyOfRange(right, s, s + LegWindow.SAMPLES), lq, rq, 0));
        }
        return out;
    }
}
