package org.hypnostream.inference.leg;

/**
 * The causal signal chain from raw tibialis EMG (µV) to the amplitude envelope the rules compare with the resting
 * baseline: 2nd-order Butterworth high-pass at 10 Hz (one biquad: little ringing, so offsets are not smeared), 2nd-order Butterworth low-pass at 100 Hz when
 * the rate allows it (above 222 Hz; at 200 Hz the Nyquist frequency already bounds the band), notches at 50 and
 * 60 Hz (Q 10) against mains hum, full-wave rectification, then a 50 ms moving average. All stages are IIR/FIR
 * filters on past samples only. State carries across leg windows; {@link #reset()} after a gap.
 */
final class EnvelopeFilter {
    private final Biquad[] stages;
    private final double[] ring;
    private int ringPos;
    private int ringFill;
    private double ringSum;

    EnvelopeFilter(double rateHz) {
        java.util.List<Biquad> s = new java.util.ArrayList<>();
        s.add(Biquad.highPass(rateHz, 10.0, 0.70710678));
        if (100.0 < 0.45 * rateHz) {
            s.add(Biquad.lowPass(rateHz, 100.0, 0.70710678));
        }
        for (double f : new double[] {50.0, 60.0}) {
            if (f < 0.45 * rateHz) {
                s.add(Biquad.notch(rateHz, f, 10.0));
            }
        }
        stages = s.toArray(new Biquad[0]);
        ring = new double[Math.max(1, (int) Math.round(0.05 * rateHz))];
    }

    /** Samples of delay of the moving average ((n - 1) / 2), compensated when onsets and offsets are reported. */
    int delaySamples() {
        return (ring.length - 1) / 2;
    }

    /** Next envelope value (µV) for one finite raw sample (µV). */
    double next(double x) {
        double y = x;
        for (Biquad b : stages) {
            y = b.next(y);
        }
        double r = Math.abs(y);
        ringSum += r - (ringFill == ring.length ? ring[ringPos] : 0);
        ring[ringPos] = r;
        ringPos = (ringPos + 1) % ring.length;
        ringFill = Math.min(ring.length, ringFill + 1);
        return ringSum / ringFill;
    }

    void reset() {
        for (Biquad b : stages) {
            b.reset();
        }
        java.util.Arrays.fill(ring, 0);
        ringPos = 0;
        ringFill = 0;
        ringSum = 0;
    }

    /**
     * Mains-hum evidence over samples [from, to): {share of 10-Hz-high-passed variance removed by the notches,
     * RMS removed in µV}. NaN samples are skipped.
     */
    static double[] mainsShare(float[] x, int from, int to, double rateHz) {
        Biquad h1 = Biquad.highPass(rateHz, 10.0, 0.70710678);
        Biquad n50 = 50.0 < 0.45 * rateHz ? Biquad.notch(rateHz, 50.0, 10.0) : null;
        Biquad n60 = 60.0 < 0.45 * rateHz ? Biquad.notch(rateHz, 60.0, 10.0) : null;
        double before = 0;
        double after = 0;
        int n = 0;
        int settle = (int) Math.round(0.25 * rateHz);
        for (int i = from; i < to; i++) {
            if (!Float.isFinite(x[i])) {
                continue;
            }
            double hp = h1.next(x[i]);
            double nt = hp;
            if (n50 != null) {
                nt = n50.next(nt);
            }
            if (n60 != null) {
                nt = n60.next(nt);
            }
            if (i - from >= settle) {
                before += hp * hp;
                after += nt * nt;
                n++;
            }
        }
        if (n == 0 || before <= 0) {
            return new double[] {0, 0};
        }
        double removed = Math.max(0, before - after);
        return new double[] {removed / before, Math.sqrt(removed / n)};
    }

    /** RBJ audio-EQ-cookbook biquad, direct form I. */
    static final class Biquad {
        private final double b0;
        private final double b1;
        private final double b2;
        private final double a1;
        private final double a2;
        private double x1;
        private double x2;
        private double y1;
        private double y2;

        private Biquad(double b0, double b1, double b2, double a0, double a1, double a2) {
            this.b0 = b0 / a0;
            this.b1 = b1 / a0;
            this.b2 = b2 / a0;
            this.a1 = a1 / a0;
            this.a2 = a2 / a0;
        }

        static Biquad highPass(double fs, double f0, double q) {
            double w = 2 * Math.PI * f0 / fs;
            double alpha = Math.sin(w) / (2 * q);
            double c = Math.cos(w);
            return new Biquad((1 + c) / 2, -(1 + c), (1 + c) / 2, 1 + alpha, -2 * c, 1 - alpha);
        }

        static Biquad lowPass(double fs, double f0, double q) {
            double w = 2 * Math.PI * f0 / fs;
            double alpha = Math.sin(w) / (2 * q);
            double c = Math.cos(w);
            return new Biquad((1 - c) / 2, 1 - c, (1 - c) / 2, 1 + alpha, -2 * c, 1 - alpha);
        }

        static Biquad notch(double fs, double f0, double q) {
            double w = 2 * Math.PI * f0 / fs;
            double alpha = Math.sin(w) / (2 * q);
            double c = Math.cos(w);
            return new Biquad(1, -2 * c, 1, 1 + alpha, -2 * c, 1 - alpha);
        }

        double next(double x) {
            double y = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
            x2 = x1;
            x1 = x;
            y2 = y1;
            y1 = y;
            return y;
        }

        void reset() {
            x1 = 0;
            x2 = 0;
            y1 = 0;
            y2 = 0;
        }
    }
}
