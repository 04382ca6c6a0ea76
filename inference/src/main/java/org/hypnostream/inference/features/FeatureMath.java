package org.hypnostream.inference.features;

import java.util.Arrays;

/** Numeric helpers of stager-features.md §2 (float64, numpy semantics where the test vectors depend on them). */
final class FeatureMath {
    private FeatureMath() {
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /** Population variance (ddof 0). */
    static double popvar(double[] v) {
        double m = mean(v);
        double s = 0;
        for (double x : v) {
            double d = x - m;
            s += d * d;
        }
        return s / v.length;
    }

    /** {m2, m3, m4} biased central moments, and the mean, as in §2.4. */
    private static double[] moments(double[] v) {
        double m = mean(v);
        double s2 = 0;
        double s3 = 0;
        double s4 = 0;
        for (double x : v) {
            double d = x - m;
            double d2 = d * d;
            s2 += d2;
            s3 += d2 * d;
            s4 += d2 * d2;
        }
        int n = v.length;
        return new double[] {s2 / n, s3 / n, s4 / n, m};
    }

    private static boolean degenerate(double m2, double mean) {
        double eps = 1e-15 * mean;
        return m2 <= eps * eps;
    }

    static double skew(double[] v) {
        double[] m = moments(v);
        return degenerate(m[0], m[3]) ? Double.NaN : m[1] / Math.pow(m[0], 1.5);
    }

    static double excessKurtosis(double[] v) {
        double[] m = moments(v);
        return degenerate(m[0], m[3]) ? Double.NaN : m[2] / (m[0] * m[0]) - 3.0;
    }

    /** numpy "linear" percentile of sorted s, q in [0, 1] (§2.5). */
    static double percentile(double[] sorted, double q) {
        double h = (sorted.length - 1) * q;
        int i = (int) Math.floor(h);
        double t = h - i;
        double a = sorted[i];
        double b = sorted[Math.min(i + 1, sorted.length - 1)];
        double diff = b - a;
        return t < 0.5 ? a + diff * t : b - diff * (1 - t);
    }

    static double iqr(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return percentile(s, 0.75) - percentile(s, 0.25);
    }

    static int sign(double x) {
        return x > 0 ? 1 : (x < 0 ? -1 : 0);
    }

    /** Counts per bin of numpy {@code histogram(v, bins)} (§2.6): equal-width edges built like numpy linspace. */
    static int[] histogram(double[] v, int bins) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
        }
        if (lo == hi) {
            lo -= 0.5;
            hi += 0.5;
        }
        double step = (hi - lo) / bins;
        double[] edges = new double[bins + 1];
        for (int i = 0; i < bins; i++) {
            edges[i] = (i * step) + lo;
        }
        edges[bins] = hi;
        double norm = bins / (hi - lo);
        int[] counts = new int[bins];
        for (double x : v) {
            int i = (int) ((x - lo) * norm);
            if (i == bins) {
                i = bins - 1;
            }
            if (x < edges[i]) {
                i--;
            } else if (i != bins - 1 && x >= edges[i + 1]) {
                i++;
            }
            counts[i]++;
        }
        return counts;
    }

    /** Binned entropy in bits (§2.7), p = c / T, empty bins skipped. */
    static double binnedEntropy(double[] v, int bins) {
        int[] c = histogram(v, bins);
        double h = 0;
        for (int count : c) {
            if (count > 0) {
                double p = (double) count / v.length;
                h -= p * (Math.log(p) / Math.log(2.0));
            }
        }
        return h;
    }

    /** Higuchi fractal dimension as in the reference (textbook minus 1), kmax = 10 (§3 feature 7). */
    static double higuchi(double[] x, int kmax) {
        int n = x.length;
        double[] xs = new double[kmax];
        double[] ys = new double[kmax];
        for (int k = 1; k <= kmax; k++) {
            double lsum = 0;
            for (int m = 1; m <= k; m++) {
                int nm = (n - m) / k;
                double s = 0;
                for (int i = 1; i <= nm; i++) {
                    s += Math.abs(x[m - 1 + i * k] - x[m - 1 + (i - 1) * k]);
                }
                lsum += (s * n) / ((double) k * nm * (n - 1));
            }
            ys[k - 1] = Math.log(lsum / k);
            xs[k - 1] = Math.log(1.0 / k);
        }
        double mx = mean(xs);
        double my = mean(ys);
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < kmax; i++) {
            sxy += (xs[i] - mx) * (ys[i] - my);
            sxx += (xs[i] - mx) * (xs[i] - mx);
        }
        return sxy / sxx;
    }
}
