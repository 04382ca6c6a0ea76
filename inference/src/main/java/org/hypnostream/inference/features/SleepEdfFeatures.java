package org.hypnostream.inference.features;

import java.util.List;
import org.hypnostream.common.wire.Epoch;

/**
 * The 105 per-epoch features of the Sleep-EDF SC stager (shared/design/stager-features.md): 35 per signal for
 * Fpz-Cz, Pz-Oz and EOG, in that order, from exactly 3000 samples at 100 Hz in µV. The "spectral" block uses the
 * closed form of §4 (no FFT). Pure and stateless; float64 throughout.
 */
public final class SleepEdfFeatures implements FeatureRecipe {
    public static final String ID = "sleep-edf-sc-35x3";
    public static final int SAMPLES = 3000;
    public static final double RATE_HZ = 100.0;
    public static final int PER_SIGNAL = 35;
    public static final List<String> CHANNELS = List.of("Fpz-Cz", "Pz-Oz", "EOG");
    private static final int[] ENTROPY_BINS_AMP = {5, 10, 30, 60};
    private static final int[] ENTROPY_BINS_PSD = {2, 3, 5, 10, 30, 60, 100};
    /** Inclusive index ranges of the six "bands" (§4). */
    private static final int[][] BANDS = {{12, 30}, {30, 120}, {120, 240}, {240, 360}, {360, 480}, {480, 900}};

    @Override
    public String id() {
        return ID;
    }

    @Override
    public int width() {
        return PER_SIGNAL * CHANNELS.size();
    }

    @Override
    public List<String> channels() {
        return CHANNELS;
    }

    /**
     * Features of one epoch whose channels include Fpz-Cz, Pz-Oz and EOG (any order).
     *
     * @throws IllegalArgumentException naming bed, epoch and channel when a channel is missing, the rate is not
     *         100 Hz, a channel does not have 3000 samples or a sample is not finite
     */
    @Override
    public double[] compute(Epoch epoch) {
        return compute(signals(epoch), "epoch " + epoch.index() + " of bed " + epoch.bedId());
    }

    /**
     * Fpz-Cz, Pz-Oz and EOG of the epoch as float64 µV (any channel order in the epoch).
     *
     * @throws IllegalArgumentException naming bed, epoch and channel when a channel is missing or the rate is not
     *         100 Hz
     */
    public static double[][] signals(Epoch epoch) {
        String where = "epoch " + epoch.index() + " of bed " + epoch.bedId();
        if (epoch.sampleRateHz() != RATE_HZ) {
            throw new IllegalArgumentException(where + ": rate " + epoch.sampleRateHz() + " Hz, recipe " + ID
                    + " needs " + RATE_HZ);
        }
        double[][] signals = new double[CHANNELS.size()][];
        for (int c = 0; c < CHANNELS.size(); c++) {
            int at = epoch.channelLabels().indexOf(CHANNELS.get(c));
            if (at < 0) {
                throw new IllegalArgumentException(where + ": channel " + CHANNELS.get(c) + " missing");
            }
            float[] s = epoch.samples()[at];
            double[] d = new double[s.length];
            for (int i = 0; i < s.length; i++) {
                d[i] = s[i];
            }
            signals[c] = d;
        }
        return signals;
    }

    /** Features from three float64 signals (Fpz-Cz, Pz-Oz, EOG), each 3000 µV samples. */
    public double[] compute(double[][] signals, String where) {
        if (signals.length != CHANNELS.size()) {
            throw new IllegalArgumentException(where + ": " + signals.length + " signals, expected 3");
        }
        double[] out = new double[width()];
        for (int c = 0; c < signals.length; c++) {
            double[] x = signals[c];
            if (x.length != SAMPLES) {
                throw new IllegalArgumentException(where + ": channel " + CHANNELS.get(c) + " has " + x.length
                        + " samples, expected " + SAMPLES);
            }
            for (int i = 0; i < x.length; i++) {
                if (!Double.isFinite(x[i])) {
                    throw new IllegalArgumentException(where + ": channel " + CHANNELS.get(c) + " sample " + i
                            + " is " + x[i]);
                }
            }
            System.arraycopy(signalFeatures(x), 0, out, c * PER_SIGNAL, PER_SIGNAL);
        }
        return out;
    }

    /** The 35 features of one signal (§3, §4). */
    static double[] signalFeatures(double[] x) {
        int n = x.length;
        double[] f = new double[PER_SIGNAL];
        double var = FeatureMath.popvar(x);
        f[0] = Math.sqrt(var);
        f[1] = FeatureMath.iqr(x);
        f[2] = FeatureMath.skew(x);
        f[3] = FeatureMath.excessKurtosis(x);
        int zc = 0;
        for (int i = 0; i + 1 < n; i++) {
            if (FeatureMath.sign(x[i]) != FeatureMath.sign(x[i + 1])) {
                zc++;
            }
        }
        f[4] = zc;
        double[] d1 = new double[n - 1];
        for (int i = 0; i < n - 1; i++) {
            d1[i] = x[i + 1] - x[i];
        }
        double[] d2 = new double[n - 2];
        for (int i = 0; i < n - 2; i++) {
            d2[i] = d1[i + 1] - d1[i];
        }
        double var1 = FeatureMath.popvar(d1);
        double mobility = Math.sqrt(var1 / var);
        f[5] = mobility;
        f[6] = Math.sqrt(FeatureMath.popvar(d2) / var1) / mobility;
        f[7] = FeatureMath.higuchi(x, 10);
        int changes = 0;
        for (int i = 0; i < n - 2; i++) {
            if (d1[i] * d1[i + 1] < 0) {
                changes++;
            }
        }
        double log10n = Math.log10(n);
        f[8] = log10n / (log10n + Math.log10(1 + 0.4 * changes));
        System.arraycopy(FeatureMath.binnedEntropies(x, ENTROPY_BINS_AMP), 0, f, 9, ENTROPY_BINS_AMP.length);
        spectralBlock(x, f);
        return f;
    }

    /** Features 13-34: closed form of FFT(FFT(x)) = N x[(N - m) mod N] (§4). */
    private static void spectralBlock(double[] x, double[] f) {
        int n = x.length;
        double[] a = new double[n];
        double[] p = new double[n];
        double delta = 1.0 / (n * (1.0 / RATE_HZ));
        double sumP = 0;
        double sumFP = 0;
        for (int m = 0; m < n; m++) {
            double r = m == 0 ? x[0] : x[n - m];
            a[m] = n * Math.abs(r);
            p[m] = a[m] * a[m];
            sumP += p[m];
            sumFP += freq(m, n, delta) * p[m];
        }
        double centroid = sumFP / sumP;
        double spread = 0;
        for (int m = 0; m < n; m++) {
            double d = freq(m, n, delta) - centroid;
            spread += d * d * p[m];
        }
        f[13] = centroid;
        f[14] = spread / sumP;
        f[15] = FeatureMath.skew(a);
        f[16] = FeatureMath.excessKurtosis(a);
        System.arraycopy(FeatureMath.binnedEntropies(p, ENTROPY_BINS_PSD), 0, f, 17, ENTROPY_BINS_PSD.length);
        double[] bp = new double[BANDS.length];
        for (int b = 0; b < BANDS.length; b++) {
            double s = 0;
            for (int m = BANDS[b][0]; m <= BANDS[b][1]; m++) {
                s += p[m];
            }
            bp[b] = s;
            f[24 + b] = s;
        }
        f[30] = bp[1] + bp[2];
        f[31] = bp[3] / bp[2];
        f[32] = bp[0] / bp[5];
        f[33] = bp[0] / bp[4];
        f[34] = bp[0] / bp[2];
    }

    /** numpy fftfreq order: integer bin times delta. */
    private static double freq(int m, int n, double delta) {
        int k = m < (n + 1) / 2 ? m : m - n;
        return k * delta;
    }
}
