package org.hypnostream.ingest.source;

/** Band power by a plain DFT over 4-s segments (test helper; slow but exact enough). */
final class Spectra {
    private Spectra() {
    }

    /** Mean power of {@code x} between {@code lo} and {@code hi} Hz (Hann-windowed 4-s segments, mean removed). */
    static double bandPower(float[] x, double rate, double lo, double hi) {
        int n = (int) (4 * rate);
        double total = 0;
        int segments = 0;
        for (int start = 0; start + n <= x.length; start += n / 2) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += x[start + i];
            }
            mean /= n;
            for (int k = (int) Math.ceil(lo * 4); k <= (int) Math.floor(hi * 4); k++) {
                double re = 0;
                double im = 0;
                for (int i = 0; i < n; i++) {
                    double w = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / n);
                    double v = (x[start + i] - mean) * w;
                    double a = 2 * Math.PI * k * i / n;
                    re += v * Math.cos(a);
                    im -= v * Math.sin(a);
                }
                total += (re * re + im * im) / n;
            }
            segments++;
        }
        return total / segments;
    }

    static double std(float[] x) {
        double m = 0;
        for (float v : x) {
            m += v;
        }
        m /= x.length;
        double s = 0;
        for (float v : x) {
            s += (v - m) * (v - m);
        }
        return Math.sqrt(s / x.length);
    }
}
