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

    /**
     * The numpy "linear" percentiles (§2.5) 0.75 minus 0.25, without sorting: the four order statistics the two
     * linear percentiles read are selected (quickselect) in {@link Double#compare} order, the order of
     * {@link Arrays#sort}, so the result is the same bit for bit (-0.0 included).
     */
    static double iqr(double[] v) {
        long[] keys = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            keys[i] = key(v[i]);
        }
        return quantile(keys, 0.75) - quantile(keys, 0.25);
    }

    /** The numpy "linear" percentile q in [0, 1] (§2.5) of the values behind {@code keys} (reordered in place). */
    private static double quantile(long[] keys, double q) {
        double h = (keys.length - 1) * q;
        int i = (int) Math.floor(h);
        double t = h - i;
        select(keys, i);
        double a = value(keys[i]);
        double b = a;
        if (i + 1 < keys.length) {
            long next = keys[i + 1];
            for (int j = i + 2; j < keys.length; j++) { // every key after i is >= keys[i]: the next one is their min
                next = Math.min(next, keys[j]);
            }
            b = value(next);
        }
        double diff = b - a;
        return t < 0.5 ? a + diff * t : b - diff * (1 - t);
    }

    /** A long whose signed order is {@link Double#compare}'s order of the (non-NaN) double. */
    private static long key(double x) {
        long bits = Double.doubleToRawLongBits(x);
        return bits ^ ((bits >> 63) & Long.MAX_VALUE);
    }

    private static double value(long key) {
        return Double.longBitsToDouble(key ^ ((key >> 63) & Long.MAX_VALUE));
    }

    /**
     * Reorders {@code a} so that {@code a[k]} holds the k-th smallest key, every key before it is <= and every key
     * after it >= (Hoare quickselect, median-of-three pivot; a sort of the remaining range after 64 rounds).
     */
    private static void select(long[] a, int k) {
        int lo = 0;
        int hi = a.length - 1;
        for (int round = 0; hi > lo; round++) {
            if (round == 64) {
                Arrays.sort(a, lo, hi + 1);
                return;
            }
            int mid = (lo + hi) >>> 1;
            long pivot = Math.max(Math.min(a[lo], a[mid]), Math.min(Math.max(a[lo], a[mid]), a[hi]));
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    long t = a[i];
                    a[i] = a[j];
                    a[j] = t;
                    i++;
                    j--;
                }
            }
            // now [lo, j] <= pivot, (j, i) == pivot, [i, hi] >= pivot
            if (k <= j) {
                hi = j;
            } else if (k >= i) {
                lo = i;
            } else {
                return;
            }
        }
    }

    static int sign(double x) {
        return x > 0 ? 1 : (x < 0 ? -1 : 0);
    }

    /** Counts per bin of numpy {@code histogram(v, bins)} (§2.6): equal-width edges built like numpy linspace. */
    static int[] histogram(double[] v, int bins) {
        double[] range = range(v);
        return histogram(v, bins, range[0], range[1]);
    }

    /** {min, max} of v. */
    private static double[] range(double[] v) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
        }
        return new double[] {lo, hi};
    }

    private static int[] histogram(double[] v, int bins, double min, double max) {
        double lo = min;
        double hi = max;
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

    /**
     * Binned entropy in bits (§2.7) of v for each bin count, p = c / T, empty bins skipped (one min/max pass for all
     * of them).
     */
    static double[] binnedEntropies(double[] v, int[] binCounts) {
        double[] range = range(v);
        double[] out = new double[binCounts.length];
        for (int b = 0; b < binCounts.length; b++) {
            int[] c = histogram(v, binCounts[b], range[0], range[1]);
            double h = 0;
            for (int count : c) {
                if (count > 0) {
                    double p = (double) count / v.length;
                    h -= p * (Math.log(p) / Math.log(2.0));
                }
            }
            out[b] = h;
        }
        return out;
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
