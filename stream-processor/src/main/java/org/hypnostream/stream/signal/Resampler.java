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
    /** The kernel's weight table (integer rates) or null; with it, output k's tap for input j is table[k*in - j*out]. */
    private final double[] table;
    private final long inStep;
    private final long outStep;
    /** hist index of input nextIn (= nextIn mod hist.length), kept incrementally. */
    private int pos;
    /** jmax(nextOut): the input index that completes the next output. */
    private long due;
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
        this.table = passThrough ? null : kernel.table();
        this.inStep = table == null ? 0 : (long) inRateHz;
        this.outStep = table == null ? 0 : (long) outRateHz;
        this.nextIn = firstInputIndex;
        this.pos = passThrough ? 0 : (int) Math.floorMod(firstInputIndex, (long) hist.length);
        setNextOut(firstOutputOf(firstInputIndex));
    }

    private void setNextOut(long k) {
        nextOut = k;
        due = passThrough ? k : jmax(k);
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
        hist[pos] = x;
        if (++pos == hist.length) {
            pos = 0;
        }
        if (!Float.isFinite(x)) {
            lastNan = nextIn;
        }
        nextIn++;
        while (due <= nextIn - 1) {
            out.put(nextOut, compute(nextOut));
            setNextOut(nextOut + 1);
        }
    }

    private long jmax(long k) {
        return (long) Math.floor(k * inRate / outRate + EPS);
    }

    private long jmin(long k) {
        return (long) Math.ceil((k / outRate - kernel.spanSeconds()) * inRate - EPS);
    }

    /**
     * Output k = sum over j in [jmin(k), jmax(k)], in ascending j, of weight(k, j) * x[j]. The ring index and the table
     * index move by one step per tap instead of a division each; taps outside the table (weight 0.0) are skipped,
     * which leaves the sum bit-identical: it starts at +0.0 and every input in the span is finite (else NaN above), so
     * adding a +-0.0 product never changes it.
     */
    private float compute(long k) {
        long lo = jmin(k);
        long hi = jmax(k);
        if (lastNan >= lo) {
            return Float.NaN;
        }
        int n = hist.length;
        int h = (int) Math.floorMod(lo, (long) n);
        int taps = (int) (hi - lo + 1);
        double sum = 0.0;
        if (table != null) {
            int len = table.length;
            int step = (int) outStep;
            long first = k * inStep - lo * outStep;
            if (first >= Integer.MAX_VALUE) {
                // cannot happen for a span-limited window (first <= span * in * out + out); kept for safety
                return computeByWeight(k, lo, hi, h);
            }
            int i = (int) first;
            for (int t = 0; t < taps; t++) {
                if (i >= 0 && i < len) {
                    sum += table[i] * hist[h];
                }
                i -= step;
                if (++h == n) {
                    h = 0;
                }
            }
            return (float) sum;
        }
        return computeByWeight(k, lo, hi, h);
    }

    private float computeByWeight(long k, long lo, long hi, int h) {
        int n = hist.length;
        double sum = 0.0;
        for (long j = lo; j <= hi; j++) {
            sum += kernel.weight(k, j) * hist[h];
            if (++h == n) {
                h = 0;
            }
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
        // one bulk write, not four single-byte writes per float (saved with the bed's head after every block)
        java.nio.ByteBuffer b = hist.length <= HIST_BYTES.get().capacity() / 4 ? HIST_BYTES.get()
                : java.nio.ByteBuffer.allocate(hist.length * 4);
        b.clear();
        b.asFloatBuffer().put(hist);
        out.write(b.array(), 0, hist.length * 4);
    }

    private static final ThreadLocal<java.nio.ByteBuffer> HIST_BYTES =
            ThreadLocal.withInitial(() -> java.nio.ByteBuffer.allocate(4096));

    static Resampler read(DataInput in) throws IOException {
        double inRate = in.readDouble();
        double outRate = in.readDouble();
        boolean started = in.readBoolean();
        long nextIn = in.readLong();
        Resampler r = new Resampler(inRate, outRate, nextIn);
        r.started = started;
        r.setNextOut(in.readLong());
        r.lastNan = in.readLong();
        int n = in.readInt();
        if (n != r.hist.length) {
            throw new IOException("resampler state has " + n + " history samples, expected " + r.hist.length);
        }
        byte[] raw = new byte[n * 4];
        in.readFully(raw);
        java.nio.ByteBuffer.wrap(raw).asFloatBuffer().get(r.hist);
        return r;
    }
}
