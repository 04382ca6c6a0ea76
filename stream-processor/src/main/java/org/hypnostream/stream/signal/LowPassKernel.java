package org.hypnostream.stream.signal;

/**
 * A causal Kaiser-windowed sinc low-pass filter as a continuous impulse response h(tau), tau in [0, T], for
 * resampling from {@code inRateHz} to {@code outRateHz} (docs/adr/0001-epoch-alignment.md).
 *
 * <p>With nyq = min(in, out) / 2: passband to 0.6 nyq, stopband from 0.9 nyq, 60 dB attenuation, passband ripple
 * about 0.1 %. The response is symmetric about T / 2, so the group delay is T / 2 (constant, linear phase). It
 * spans only the past: an output at time t uses input samples from [t - T, t].
 */
public final class LowPassKernel {
    static final double ATTENUATION_DB = 60.0;
    private static final int MAX_TABLE = 2_000_000;

    private final double inRate;
    private final double outRate;
    private final double cutoffHz;
    private final double spanSeconds;
    private final double beta;
    private final double i0Beta;
    /** h at tau = i / (in * out) when both rates are integers; null otherwise. */
    private final double[] table;

    private static final java.util.Map<String, LowPassKernel> CACHE = new java.util.concurrent.ConcurrentHashMap<>();

    /** The (immutable, shared) kernel for a rate pair; building one costs about a millisecond. */
    public static LowPassKernel of(double inRateHz, double outRateHz) {
        String key = inRateHz + ">" + outRateHz;
        LowPassKernel k = CACHE.get(key);
        if (k == null) {
            k = new LowPassKernel(inRateHz, outRateHz);
            if (CACHE.size() < 256) {
                CACHE.put(key, k);
            }
        }
        return k;
    }

    public LowPassKernel(double inRateHz, double outRateHz) {
        if (!(inRateHz > 0) || !(outRateHz > 0)) {
            throw new IllegalArgumentException("bad rates " + inRateHz + " -> " + outRateHz);
        }
        this.inRate = inRateHz;
        this.outRate = outRateHz;
        double nyq = Math.min(inRateHz, outRateHz) / 2.0;
        double pass = 0.6 * nyq;
        double stop = 0.9 * nyq;
        this.cutoffHz = (pass + stop) / 2.0;
        double transition = stop - pass;
        this.spanSeconds = (ATTENUATION_DB - 7.95) / (2.285 * 2.0 * Math.PI * transition);
        this.beta = 0.1102 * (ATTENUATION_DB - 8.7);
        this.i0Beta = bessel0(beta);
        double grid = inRateHz * outRateHz;
        if (isInteger(inRateHz) && isInteger(outRateHz) && spanSeconds * grid < MAX_TABLE) {
            int n = (int) Math.ceil(spanSeconds * grid) + 1;
            table = new double[n];
            for (int i = 0; i < n; i++) {
                table[i] = evaluate(i / grid);
            }
        } else {
            table = null;
        }
    }

    static boolean isInteger(double v) {
        return v == Math.rint(v) && v < 1e9;
    }

    /** Filter length in seconds (T); outputs depend on inputs from the last T seconds only. */
    public double spanSeconds() {
        return spanSeconds;
    }

    /** Group delay in seconds (T / 2). */
    public double groupDelaySeconds() {
        return spanSeconds / 2.0;
    }

    public double cutoffHz() {
        return cutoffHz;
    }

    /**
     * The weights h(i / (in * out)) for i = 0 .. length - 1 when both rates are integers, else null: the weight of
     * input j for output k is {@code table[k * in - j * out]} (0 outside the table). Shared; callers must not write.
     */
    double[] table() {
        return table;
    }

    /** Weight of the input sample {@code j} for the output sample {@code k}; 0 outside the span. */
    double weight(long k, long j) {
        if (table != null) {
            long i = k * (long) inRate - j * (long) outRate;
            return i < 0 || i >= table.length ? 0.0 : table[(int) i];
        }
        return evaluate(k / outRate - j / inRate);
    }

    private double evaluate(double tau) {
        if (tau < 0 || tau > spanSeconds) {
            return 0.0;
        }
        double x = 2.0 * cutoffHz * (tau - spanSeconds / 2.0);
        double sinc = Math.abs(x) < 1e-12 ? 1.0 : Math.sin(Math.PI * x) / (Math.PI * x);
        double r = 2.0 * tau / spanSeconds - 1.0;
        double w = bessel0(beta * Math.sqrt(Math.max(0.0, 1.0 - r * r))) / i0Beta;
        return 2.0 * cutoffHz / inRate * sinc * w;
    }

    private static double bessel0(double x) {
        double sum = 1.0;
        double term = 1.0;
        double q = x * x / 4.0;
        for (int k = 1; k < 60; k++) {
            term *= q / ((double) k * k);
            sum += term;
            if (term < sum * 1e-17) {
                break;
            }
        }
        return sum;
    }
}
