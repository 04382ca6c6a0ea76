package org.hypnostream.inference.features;

/**
 * Relative Welch band powers of the stager (model card {@code welch_recipe}, id {@value #ID}): for Fpz-Cz, Pz-Oz and
 * EOG (in that order) the five powers delta 0.5-4, theta 4-8, alpha 8-12, sigma 12-16, beta 16-30 Hz, each signal's
 * five summing to 1, signal-major (15 values). Per epoch of 3000 samples at 100 Hz: the {@link CausalBandFilter}
 * (state carried across the bed's consecutive epochs), then Welch as {@code scipy.signal.welch(x, fs=100,
 * window='hamming', nperseg=400, noverlap=200, nfft=400, detrend='constant', scaling='density', average='median')},
 * band power = trapezoidal integral of the PSD over the bins of the CLOSED band [lo, hi] (adjacent bands share their
 * edge bin, as rohnns/automated-sleep-staging's BandPowerEncoder does), relative = band / sum of the five.
 * float64 throughout.
 */
public final class RelativeWelch {
    public static final String ID = "welch-rel-3x5-causal";
    public static final int SIGNALS = 3;
    public static final int BANDS = 5;
    public static final int WIDTH = SIGNALS * BANDS;
    static final int SEGMENT = 400;
    static final int STEP = 200;
    static final double RATE_HZ = 100.0;
    /** Band edges as PSD bin indices (bin k = k * 0.25 Hz), inclusive. */
    private static final int[][] BAND_BINS = {{2, 16}, {16, 32}, {32, 48}, {48, 64}, {64, 120}};
    private static final int FIRST_BIN = 2;
    private static final int LAST_BIN = 120;
    private static final double[] WINDOW = new double[SEGMENT];
    private static final double[] COS = new double[SEGMENT];
    private static final double[] SIN = new double[SEGMENT];
    private static final double SCALE;

    static {
        double sumSq = 0;
        for (int n = 0; n < SEGMENT; n++) {
            WINDOW[n] = 0.54 - 0.46 * Math.cos(2 * Math.PI * n / SEGMENT); // periodic Hamming (scipy get_window)
            sumSq += WINDOW[n] * WINDOW[n];
            COS[n] = Math.cos(2 * Math.PI * n / SEGMENT);
            SIN[n] = Math.sin(2 * Math.PI * n / SEGMENT);
        }
        SCALE = 2.0 / (RATE_HZ * sumSq); // density, one-sided (the bins used are neither 0 nor Nyquist)
    }

    private final CausalBandFilter[] filters = {CausalBandFilter.eeg(), CausalBandFilter.eeg(), CausalBandFilter.eog()};

    /**
     * Per-bed filter state: per signal {@code SECTIONS x 2} biquad states and the index of the epoch they end at.
     * Consecutive epochs continue the filter; after a gap (or a fresh state) it restarts at the next epoch's first
     * sample.
     */
    public static final class State {
        private double[][][] z;
        private long last = -1;

        /** Live arrays [signal][section][2], or null before the first epoch (read by the state codec). */
        public double[][][] sections() {
            return z;
        }

        /** Index of the epoch the state ends at; -1 before the first epoch. */
        public long lastIndex() {
            return last;
        }

        /** Restores a saved state ({@code z} null for none). */
        public void restore(double[][][] sections, long lastIndex) {
            if (sections != null && (sections.length != SIGNALS || sections[0].length != CausalBandFilter.SECTIONS)) {
                throw new IllegalArgumentException("welch filter state needs " + SIGNALS + " x "
                        + CausalBandFilter.SECTIONS + " sections");
            }
            this.z = sections;
            this.last = lastIndex;
        }

        /** Forgets the filter history (the next epoch restarts the filter). */
        public void reset() {
            z = null;
            last = -1;
        }
    }

    /**
     * The 15 relative powers of epoch {@code index} of a bed, advancing its filter {@code state}.
     *
     * @param signals Fpz-Cz, Pz-Oz, EOG, each 3000 finite µV samples
     * @throws IllegalArgumentException when a signal has another length or no power in 0.5-30 Hz (state reset)
     */
    public double[] compute(double[][] signals, State state, long index) {
        if (signals.length != SIGNALS) {
            throw new IllegalArgumentException(signals.length + " signals, relative Welch needs " + SIGNALS);
        }
        for (double[] x : signals) {
            if (x.length != SleepEdfFeatures.SAMPLES) {
                throw new IllegalArgumentException("signal of " + x.length + " samples, relative Welch needs "
                        + SleepEdfFeatures.SAMPLES);
            }
        }
        if (state.z == null || index != state.last + 1) {
            state.z = new double[SIGNALS][][];
            for (int c = 0; c < SIGNALS; c++) {
                state.z[c] = filters[c].initialState(signals[c][0]);
            }
        }
        double[] out = new double[WIDTH];
        for (int c = 0; c < SIGNALS; c++) {
            double[] y = filters[c].apply(signals[c], state.z[c]);
            double[] rel = relative(y);
            if (rel == null) {
                state.reset();
                throw new IllegalArgumentException("signal " + c + " has no power in 0.5-30 Hz");
            }
            System.arraycopy(rel, 0, out, c * BANDS, BANDS);
        }
        state.last = index;
        return out;
    }

    /** The five relative band powers of one (already filtered) 30-s signal, or null when their sum is not > 0. */
    public static double[] relative(double[] x) {
        double[] psd = psd(x);
        double[] band = new double[BANDS];
        double total = 0;
        for (int b = 0; b < BANDS; b++) {
            int lo = BAND_BINS[b][0];
            int hi = BAND_BINS[b][1];
            double s = 0;
            for (int k = lo; k <= hi; k++) {
                s += psd[k];
            }
            band[b] = (s - 0.5 * (psd[lo] + psd[hi])) * (RATE_HZ / SEGMENT);
            total += band[b];
        }
        if (!(total > 0) || !Double.isFinite(total)) {
            return null;
        }
        for (int b = 0; b < BANDS; b++) {
            band[b] /= total;
        }
        return band;
    }

    /** Median-averaged Welch PSD (density) of bins 0..200; only bins 2..120 are computed, the others are 0. */
    static double[] psd(double[] x) {
        int segments = (x.length - SEGMENT) / STEP + 1;
        double[][] per = new double[LAST_BIN + 1][segments];
        double[] seg = new double[SEGMENT];
        for (int s = 0; s < segments; s++) {
            int off = s * STEP;
            double mean = 0;
            for (int n = 0; n < SEGMENT; n++) {
                mean += x[off + n];
            }
            mean /= SEGMENT;
            for (int n = 0; n < SEGMENT; n++) {
                seg[n] = (x[off + n] - mean) * WINDOW[n];
            }
            for (int k = FIRST_BIN; k <= LAST_BIN; k++) {
                double re = 0;
                double im = 0;
                int idx = 0;
                for (int n = 0; n < SEGMENT; n++) {
                    re += seg[n] * COS[idx];
                    im -= seg[n] * SIN[idx];
                    idx += k;
                    if (idx >= SEGMENT) {
                        idx -= SEGMENT;
                    }
                }
                per[k][s] = (re * re + im * im) * SCALE;
            }
        }
        double bias = medianBias(segments);
        double[] out = new double[SEGMENT / 2 + 1];
        for (int k = FIRST_BIN; k <= LAST_BIN; k++) {
            double[] v = per[k];
            java.util.Arrays.sort(v);
            int m = v.length / 2;
            out[k] = (v.length % 2 == 1 ? v[m] : 0.5 * (v[m - 1] + v[m])) / bias;
        }
        return out;
    }

    /** scipy.signal._spectral_py._median_bias: the median's bias for chi-square(2) periodograms of n segments. */
    static double medianBias(int n) {
        double b = 1.0;
        for (int i = 1; i <= (n - 1) / 2; i++) {
            b += 1.0 / (2 * i + 1) - 1.0 / (2 * i);
        }
        return b;
    }
}
