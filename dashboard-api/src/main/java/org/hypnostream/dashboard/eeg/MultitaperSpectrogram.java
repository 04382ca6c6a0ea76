package org.hypnostream.dashboard.eeg;

/**
 * Multitaper power spectra of short windows of one channel: {@code k} DPSS tapers with time-half-bandwidth
 * {@code nw}, eigenspectra averaged, one-sided PSD in dB re 1 µV²/Hz, bins from 0 to {@code maxHz}.
 * Windows containing NaN (missing samples) give NaN columns. Immutable and thread-safe: {@link #of} shares one
 * instance (tapers and Fourier tables) per parameter set.
 */
public final class MultitaperSpectrogram {
    private record Key(double rateHz, double windowSeconds, double stepSeconds, double nw, int k, double maxHz) {
    }

    private static final java.util.Map<Key, MultitaperSpectrogram> CACHE = new java.util.concurrent.ConcurrentHashMap<>();

    /** The shared spectrogram for these parameters (built once: DPSS tapers and the cos/sin tables). */
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
    private final double[][] cos;
    private final double[][] sin;

    public MultitaperSpectrogram(double rateHz, double windowSeconds, double stepSeconds, double nw, int k, double maxHz) {
        this.rateHz = rateHz;
        this.window = (int) Math.round(windowSeconds * rateHz);
        this.step = (int) Math.round(stepSeconds * rateHz);
        if (window < 8 || step < 1 || !(maxHz > 0)) {
            throw new IllegalArgumentException("spectrogram: window " + window + " samples, step " + step + ", maxHz " + maxHz);
        }
        this.bins = (int) Math.min(window / 2, Math.floor(maxHz * window / rateHz)) + 1;
        this.tapers = Dpss.shared(window, nw, k);
        cos = new double[bins][window];
        sin = new double[bins][window];
        for (int f = 0; f < bins; f++) {
            for (int t = 0; t < window; t++) {
                double ph = 2 * Math.PI * f * (double) t / window;
                cos[f][t] = Math.cos(ph);
                sin[f][t] = Math.sin(ph);
            }
        }
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
        double[] seg = new double[window];
        for (int j = 0; j < count; j++) {
            boolean bad = false;
            double mean = 0;
            for (int t = 0; t < window; t++) {
                float v = x[j * step + t];
                bad |= !Float.isFinite(v);
                seg[t] = v;
                mean += v;
            }
            float[] col = new float[bins];
            if (bad) {
                java.util.Arrays.fill(col, Float.NaN);
                out[j] = col;
                continue;
            }
            mean /= window;
            for (int f = 0; f < bins; f++) {
                double p = 0;
                for (double[] taper : tapers) {
                    double re = 0;
                    double im = 0;
                    for (int t = 0; t < window; t++) {
                        double v = (seg[t] - mean) * taper[t];
                        re += v * cos[f][t];
                        im -= v * sin[f][t];
                    }
                    p += re * re + im * im;
                }
                p /= tapers.length * rateHz; // taper energy 1: PSD = |X|^2 / fs
                if (f > 0 && !(window % 2 == 0 && f == window / 2)) {
                    p *= 2; // one-sided
                }
                col[f] = (float) (10 * Math.log10(p + 1e-12));
            }
            out[j] = col;
        }
        return out;
    }
}
