package org.hypnostream.ingest.source;

/** Precomputed waveforms for the synthetic amplifier: a sine table and event templates. */
final class Waves {
    private static final int TABLE = 4096;
    private static final float[] SIN = new float[TABLE];

    static {
        for (int i = 0; i < TABLE; i++) {
            SIN[i] = (float) Math.sin(2 * Math.PI * i / TABLE);
        }
    }

    private Waves() {
    }

    /** sin(2 pi phase) for a phase in cycles (any value >= 0). */
    static float sin(double phaseCycles) {
        return SIN[(int) (phaseCycles * TABLE) & (TABLE - 1)];
    }

    /** Keeps a phase accumulator in [0, 1). */
    static double advance(double phase, double increment) {
        double p = phase + increment;
        return p >= 1.0 ? p - Math.floor(p) : p;
    }

    /** K-complex: a sharp negative wave (~0.45 s) followed by a slower positive one (~0.55 s); peak -1. */
    static float[] kComplex(double rateHz) {
        int n = (int) Math.round(rateHz);
        int neg = (int) Math.round(0.45 * rateHz);
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            w[i] = i < neg ? (float) -Math.sin(Math.PI * i / neg) : (float) (0.45 * Math.sin(Math.PI * (i - neg) / (n - neg)));
        }
        return w;
    }

    /** Eye blink: a 0.3 s half-sine bump, peak 1. */
    static float[] blink(double rateHz) {
        int n = (int) Math.round(0.3 * rateHz);
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            w[i] = (float) Math.pow(Math.sin(Math.PI * i / n), 2);
        }
        return w;
    }

    /** ECG as seen through EEG/EMG electrodes: R spike (~20 ms) with small Q/S and a T wave; peak 1. */
    static float[] heartbeat(double rateHz) {
        int n = (int) Math.round(0.45 * rateHz);
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            double t = i / rateHz;
            double r = Math.exp(-Math.pow((t - 0.05) / 0.008, 2));
            double qs = -0.2 * Math.exp(-Math.pow((t - 0.035) / 0.006, 2)) - 0.25 * Math.exp(-Math.pow((t - 0.066) / 0.007, 2));
            double tw = 0.25 * Math.exp(-Math.pow((t - 0.3) / 0.045, 2));
            w[i] = (float) (r + qs + tw);
        }
        return w;
    }
}
