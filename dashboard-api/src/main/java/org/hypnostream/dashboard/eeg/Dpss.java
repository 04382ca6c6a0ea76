package org.hypnostream.dashboard.eeg;

/**
 * Discrete prolate spheroidal (Slepian) sequences: the eigenvectors of the symmetric tridiagonal matrix of Slepian
 * (1978) for the {@code k} largest eigenvalues, found by Sturm-sequence bisection and inverse iteration. Unit energy;
 * sign as scipy.signal.windows.dpss (symmetric tapers sum positive, antisymmetric tapers start positive).
 */
public final class Dpss {
    private Dpss() {
    }

    private record Key(int n, double nw, int k) {
    }

    private static final java.util.Map<Key, double[][]> CACHE = new java.util.concurrent.ConcurrentHashMap<>();

    /** {@code k} tapers of length {@code n} with time-half-bandwidth {@code nw} (a fresh copy; see {@link #shared}). */
    public static double[][] tapers(int n, double nw, int k) {
        double[][] t = shared(n, nw, k);
        double[][] copy = new double[t.length][];
        for (int i = 0; i < t.length; i++) {
            copy[i] = t[i].clone();
        }
        return copy;
    }

    /**
     * The tapers for (n, nw, k), computed once per process and shared: callers must not write into them. Solving
     * costs milliseconds (bisection + inverse iteration), which the dashboard used to pay for every epoch.
     */
    static double[][] shared(int n, double nw, int k) {
        Key key = new Key(n, nw, k);
        double[][] t = CACHE.get(key);
        if (t == null) {
            t = compute(n, nw, k);
            if (CACHE.size() < 64) {
                CACHE.putIfAbsent(key, t);
            }
        }
        return t;
    }

    private static double[][] compute(int n, double nw, int k) {
        if (n < 2 || k < 1 || k > n || !(nw > 0) || nw >= n / 2.0) {
            throw new IllegalArgumentException("dpss: bad n=" + n + " nw=" + nw + " k=" + k);
        }
        double w = nw / n;
        double[] d = new double[n];
        double[] e = new double[n]; // e[i] couples i-1 and i
        for (int i = 0; i < n; i++) {
            double c = (n - 1 - 2.0 * i) / 2.0;
            d[i] = c * c * Math.cos(2 * Math.PI * w);
            e[i] = i == 0 ? 0 : i * (double) (n - i) / 2.0;
        }
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            double r = Math.abs(e[i]) + (i + 1 < n ? Math.abs(e[i + 1]) : 0);
            lo = Math.min(lo, d[i] - r);
            hi = Math.max(hi, d[i] + r);
        }
        double[][] out = new double[k][];
        for (int j = 0; j < k; j++) {
            double lambda = eigenvalue(d, e, n - 1 - j, lo, hi);
            double[] v = inverseIteration(d, e, lambda, hi - lo, j);
            fixSign(v, j);
            out[j] = v;
        }
        return out;
    }

    /** Number of eigenvalues smaller than x (Sturm sequence). */
    private static int countBelow(double[] d, double[] e, double x) {
        int count = 0;
        double q = 1;
        for (int i = 0; i < d.length; i++) {
            q = d[i] - x - (i == 0 ? 0 : e[i] * e[i] / q);
            if (q == 0) {
                q = 1e-300;
            }
            if (q < 0) {
                count++;
            }
        }
        return count;
    }

    /** The eigenvalue of rank {@code index} (0 = smallest). */
    private static double eigenvalue(double[] d, double[] e, int index, double lo, double hi) {
        double a = lo;
        double b = hi;
        for (int it = 0; it < 200 && b - a > 1e-13 * Math.max(1, Math.abs(a) + Math.abs(b)); it++) {
            double m = (a + b) / 2;
            if (countBelow(d, e, m) > index) {
                b = m;
            } else {
                a = m;
            }
        }
        return (a + b) / 2;
    }

    private static double[] inverseIteration(double[] d, double[] e, double lambda, double scale, int seed) {
        int n = d.length;
        double shift = lambda + 1e-10 * scale;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = 1 + 0.01 * Math.sin(1.7 * i + seed);
        }
        for (int it = 0; it < 4; it++) {
            x = solve(d, e, shift, x);
            double norm = 0;
            for (double v : x) {
                norm += v * v;
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < n; i++) {
                x[i] /= norm;
            }
        }
        return x;
    }

    /** Solves (T - s I) y = b for tridiagonal T (Thomas algorithm; a vanishing pivot is nudged, as inverse iteration allows). */
    private static double[] solve(double[] d, double[] e, double s, double[] b) {
        int n = d.length;
        double[] c = new double[n];
        double[] y = new double[n];
        double tiny = 1e-14 * (Math.abs(s) + 1);
        double p = d[0] - s;
        if (Math.abs(p) < tiny) {
            p = tiny;
        }
        c[0] = (n > 1 ? e[1] : 0) / p;
        y[0] = b[0] / p;
        for (int i = 1; i < n; i++) {
            p = d[i] - s - e[i] * c[i - 1];
            if (Math.abs(p) < tiny) {
                p = tiny;
            }
            c[i] = (i + 1 < n ? e[i + 1] : 0) / p;
            y[i] = (b[i] - e[i] * y[i - 1]) / p;
        }
        for (int i = n - 2; i >= 0; i--) {
            y[i] -= c[i] * y[i + 1];
        }
        return y;
    }

    private static void fixSign(double[] v, int order) {
        double s = 0;
        if (order % 2 == 0) {
            for (double x : v) {
                s += x;
            }
        } else {
            int n = v.length;
            for (int i = 0; i < n; i++) {
                s += (n - 1 - 2.0 * i) * v[i]; // positive when the first half is positive
            }
        }
        if (s < 0) {
            for (int i = 0; i < v.length; i++) {
                v[i] = -v[i];
            }
        }
    }
}
