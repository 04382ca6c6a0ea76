package org.hypnostream.stream.signal;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Streaming causal resampler of one channel from {@code inRateHz} to {@code outRateHz}. Input sample j sits at
 * time j / in, output sample k at time k / out (both counted from the session start). Output k is computed as
 * soon as input floor(k in / out) is in, from inputs of the last {@link LowPassKernel#spanSeconds()} only, so no
 * later sample can influence it. Equal rates pass float values through bit-exactly. Any non-finite input within
 * an output's span makes that output NaN. Before the first input the filter history holds the first value.
 */
public final class Resampler {
    private static final double EPS = 1e-9;

    private final double inRate;
    private final double outRate;
    private final boolean passThrough;
    private final LowPassKernel kernel;
    private final float[] hist;
    private boolean started;
    private long nextIn;
    private long nextOut;
    private long lastNan = Long.MIN_VALUE;

    public Resampler(double inRateHz, double outRateHz, long firstInputIndex) {
        this.inRate = inRateHz;
        this.outRate = outRateHz;
        this.passThrough = Double.compare(inRateHz, outRateHz) == 0;
        this.kernel = passThrough ? null : LowPassKernel.of(inRateHz, outRateHz);
        this.hist = new float[passThrough ? 0 : (int) Math.ceil(kernel.spanSeconds() * inRateHz) + 3];
        this.nextIn = firstInputIndex;
        this.nextOut = firstOutputOf(firstInputIndex);
    }

    public boolean passThrough() {
        return passThrough;
    }

    /** Group delay added by the filter, seconds (0 for pass-through). */
    public double groupDelaySeconds() {
        return passThrough ? 0.0 : kernel.groupDelaySeconds();
    }

    public long nextInputIndex() {
        return nextIn;
    }

    /** First output index that input sample {@code p} can influence. */
    public long firstOutputOf(long p) {
        return passThrough ? p : (long) Math.ceil(p * outRate / inRate - EPS);
    }

    /** Last output index that input sample {@code p} can influence. */
    public long lastOutputOf(long p) {
        return passThrough ? p : (long) Math.floor((p / inRate + kernel.spanSeconds()) * outRate + EPS);
    }

    /** Appends the next input sample (index {@link #nextInputIndex()}) and writes every output it completes. */
    public void push(float x, Timeline out) {
        if (passThrough) {
            out.put(nextIn++, x);
            return;
        }
        if (!started) {
            java.util.Arrays.fill(hist, x);
            started = true;
            if (!Float.isFinite(x)) {
                lastNan = nextIn;
            }
        }
        hist[(int) Math.floorMod(nextIn, (long) hist.length)] = x;
        if (!Float.isFinite(x)) {
            lastNan = nextIn;
        }
        nextIn++;
        while (jmax(nextOut) <= nextIn - 1) {
            out.put(nextOut, compute(nextOut));
            nextOut++;
        }
    }

    private long jmax(long k) {
        return (long) Math.floor(k * inRate / outRate + EPS);
    }

    private long jmin(long k) {
        return (long) Math.ceil((k / outRate - kernel.spanSeconds()) * inRate - EPS);
    }

    private float compute(long k) {
        long lo = jmin(k);
        long hi = jmax(k);
        if (lastNan >= lo) {
            return Float.NaN;
        }
        double sum = 0.0;
        int n = hist.length;
        for (long j = lo; j <= hi; j++) {
            sum += kernel.weight(k, j) * hist[(int) Math.floorMod(j, (long) n)];
        }
        return (float) sum;
    }

    void write(DataOutput out) throws IOException {
        out.writeDouble(inRate);
        out.writeDouble(outRate);
        out.writeBoolean(started);
        out.writeLong(nextIn);
        out.writeLong(nextOut);
        out.writeLong(lastNan);
        out.writeInt(hist.length);
        for (float v : hist) {
            out.writeFloat(v);
        }
    }

    static Resampler read(DataInput in) throws IOException {
        double inRate = in.readDouble();
        double outRate = in.readDouble();
        boolean started = in.readBoolean();
        long nextIn = in.readLong();
        Resampler r = new Resampler(inRate, outRate, nextIn);
        r.started = started;
        r.nextOut = in.readLong();
        r.lastNan = in.readLong();
        int n = in.readInt();
        if (n != r.hist.length) {
            throw new IOException("resampler state has " + n + " history samples, expected " + r.hist.length);
        }
        for (int i = 0; i < n; i++) {
            r.hist[i] = in.readFloat();
        }
        return r;
    }
}
