package org.hypnostream.dashboard.eeg;

import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Multitaper power spectra of short windows of one channel: {@code k} DPSS tapers with time-half-bandwidth
 * {@code nw}, eigenspectra averaged, one-sided PSD in dB re 1 µV²/Hz, bins from 0 to {@code maxHz} on the window's
 * own grid (bin f at f * rate / window; no zero-padding, any window length). Each tapered window is transformed by
 * one real FFT of the window's length (JTransforms). Windows containing NaN (missing samples) give NaN columns.
 * Immutable and thread-safe: {@link #of} shares one instance (tapers and FFT plan) per parameter set.
 */
public final class MultitaperSpectrogram {
    private record Key(double rateHz, double windowSeconds, double stepSeconds, double nw, int k, double maxHz) {
    }

    private static final java.util.Map<Key, MultitaperSpectrogram> CACHE = new java.util.concurrent.ConcurrentHashMap<>();

    /** The shared spectrogram for these parameters (built once: DPSS tapers and the FFT plan). */
    public static MultitaperSpectrogram of(double rateHz, double windowSeconds, double stepSeconds, double nw, int k, double maxHz) {
        Key key = new Key(rateHz, windowSeconds, stepSeconds, nw, k, maxHz);
        MultitaperSpectrogram s = CACHE.get(key);
        if (s == null) {
            s = new MultitaperSpectrogram(rateHz, windowSeconds, stepSeconds, nw, k, maxHz);
            if (CACHE.size() < 64) {
                CACHE.putIfAbsent(key, s);
            }
        }
        return s;
    }

    private final double rateHz;
    private final int window;
    private final int step;
    private final int bins;
    private final double[][] tapers;
    /** Read-only once built (JTransforms keeps no per-call state in the plan): one plan serves every thread. */
    private final DoubleFFT_1D fft;

    public MultitaperSpectrogram(double rateHz, double windowSeconds, double stepSeconds, double nw, int k, double maxHz) {
        this.rateHz = rateHz;
        this.window = (int) Math.round(windowSeconds * rateHz);
        this.step = (int) Math.round(stepSeconds * rateHz);
        if (window < 8 || step < 1 || !(maxHz > 0)) {
            throw new IllegalArgumentException("spectrogram: window " + window + " samples, step " + step + ", maxHz " + maxHz);
        }
        this.bins = (int) Math.min(window / 2, Math.floor(maxHz * window / rateHz)) + 1;
        this.tapers = Dpss.shared(window, nw, k);
        this.fft = new DoubleFFT_1D(window);
    }

    public double binHz() {
        return rateHz / window;
    }

    public int bins() {
        return bins;
    }

    public double stepSeconds() {
        return step / rateHz;
    }

    /** Columns [window][bin] (dB) over {@code x}; window j starts at sample j * step. */
    public float[][] columns(float[] x) {
        int count = x.length < window ? 0 : (x.length - window) / step + 1;
        float[][] out = new float[count][];
        double[] a = new double[window];
        double[] p = new double[bins];
        for (int j = 0; j < count; j++) {
            int from = j * step;
            boolean bad = false;
            double mean = 0;
            for (int t = 0; t < window; t++) {
                float v = x[from + t];
                bad |= !Float.isFinite(v);
                mean += v;
            }
            float[] col = new float[bins];
            out[j] = col;
            if (bad) {
                java.util.Arrays.fill(col, Float.NaN);
                continue;
            }
            mean /= window;
            java.util.Arrays.fill(p, 0);
            for (double[] taper : tapers) {
                for (int t = 0; t < window; t++) {
                    a[t] = (x[from + t] - mean) * taper[t];
                }
                fft.realForward(a);
                for (int f = 0; f < bins; f++) {
                    p[f] += power(a, f);
                }
            }
            for (int f = 0; f < bins; f++) {
                double psd = p[f] / (tapers.length * rateHz); // taper energy 1: PSD = |X|^2 / fs
                if (f > 0 && 2 * f != window) {
                    psd *= 2; // one-sided
                }
                col[f] = (float) (10 * Math.log10(psd + 1e-12));
            }
        }
        return out;
    }

    /**
     * |X[f]|² from JTransforms' packed real-forward layout: a[2f], a[2f+1] = Re, Im of bin f, except Re[0] in a[0], and
     * in a[1] Re[n/2] (n even) or Im[(n-1)/2] (n odd).
     */
    private double power(double[] a, int f) {
        if (f == 0) {
            return a[0] * a[0];
        }
        if (2 * f == window) {
            return a[1] * a[1];
        }
        double re = a[2 * f];
        double im = 2 * f + 1 == window ? a[1] : a[2 * f + 1];
        return re * re + im * im;
    }
}
