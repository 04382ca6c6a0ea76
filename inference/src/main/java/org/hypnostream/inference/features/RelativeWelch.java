package org.hypnostream.inference.features;

import org.jtransforms.fft.DoubleFFT_1D;

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
    /** Thread-safe after construction (the live and re-score loops share it); each call allocates its work array. */
    private static final DoubleFFT_1D FFT = new DoubleFFT_1D(SEGMENT);
    private static final double SCALE;

    static {
        double sumSq = 0;
        for (int n = 0; n < SEGMENT; n++) {
            WINDOW[n] = 0.54 - 0.46 * Math.cos(2 * Math.PI * n / SEGMENT); // periodic Hamming (scipy get_window)
            sumSq += WINDOW[n] * WINDOW[n];
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

    /**
     * Median-averaged Welch PSD (density) of bins 0..200; only bins 2..120 are computed, the others are 0. Each
     * segment's spectrum is one real FFT of 400 points (JTransforms, mixed radix 4 x 4 x 5 x 5; equal to the direct
     * DFT within 1e-12 of the largest bin, RelativeWelchTest), the per-bin median an insertion sort of the segments' values.
     */
    static double[] psd(double[] x) {
        int segments = (x.length - SEGMENT) / STEP + 1;
        int bins = LAST_BIN - FIRST_BIN + 1;
        double[] per = new double[bins * segments]; // bin-major: the segments' values of one bin side by side
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
            FFT.realForward(seg); // seg[2k] = Re X[k], seg[2k + 1] = Im X[k] for 0 < k < 200
            for (int k = FIRST_BIN; k <= LAST_BIN; k++) {
                double re = seg[2 * k];
                double im = seg[2 * k + 1];
                per[(k - FIRST_BIN) * segments + s] = (re * re + im * im) * SCALE;
            }
        }
        double bias = medianBias(segments);
        double[] out = new double[SEGMENT / 2 + 1];
        int m = segments / 2;
        for (int k = FIRST_BIN; k <= LAST_BIN; k++) {
            int from = (k - FIRST_BIN) * segments;
            insertionSort(per, from, from + segments);
            double median = segments % 2 == 1 ? per[from + m] : 0.5 * (per[from + m - 1] + per[from + m]);
            out[k] = median / bias;
        }
        return out;
    }

    /** Sorts v[from, to) ascending (a handful of finite values: the segments of one bin). */
    private static void insertionSort(double[] v, int from, int to) {
        for (int i = from + 1; i < to; i++) {
            double x = v[i];
            int j = i - 1;
            while (j >= from && v[j] > x) {
                v[j + 1] = v[j];
                j--;
            }
            v[j + 1] = x;
        }
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
