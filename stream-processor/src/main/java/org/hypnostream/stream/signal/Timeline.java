package org.hypnostream.stream.signal;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Output samples of one channel at absolute indices [base, end); older samples are trimmed once every window
 * that needs them has been cut. A sample put below {@code base} (its window was already emitted) is dropped and
 * counted.
 */
public final class Timeline {
    /** Refuse to buffer more than this many samples (about 45 min at 200 Hz) instead of exhausting memory. */
    static final int MAX_BUFFERED = 1 << 19;

    private long base;
    private float[] data;
    private int size;
    private long dropped;

    public Timeline(long base) {
        this.base = base;
        this.data = new float[256];
    }

    public long base() {
        return base;
    }

    public long end() {
        return base + size;
    }

    public long dropped() {
        return dropped;
    }

    /** Stores the sample at {@code index}; any hole before it is filled with NaN. */
    public void put(long index, float v) {
        if (index < end()) {
            dropped++;
            return;
        }
        while (end() < index) {
            append(Float.NaN);
        }
        append(v);
    }

    private void append(float v) {
        if (size == data.length) {
            if (size >= MAX_BUFFERED) {
                throw new IllegalStateException("channel buffer full (" + size + " samples): windows are not being cut");
            }
            data = Arrays.copyOf(data, size * 2);
        }
        data[size++] = v;
    }

    /** Samples [from, from + n), NaN where not (or no longer) present. */
    public float[] copy(long from, int n) {
        float[] out = new float[n];
        Arrays.fill(out, Float.NaN);
        long lo = Math.max(from, base);
        long hi = Math.min(from + n, end());
        if (hi > lo) {
            System.arraycopy(data, (int) (lo - base), out, (int) (lo - from), (int) (hi - lo));
        }
        return out;
    }

    /** Forgets samples before {@code index}; later puts below it are dropped. */
    public void trimBefore(long index) {
        if (index <= base) {
            return;
        }
        int cut = (int) Math.min(size, index - base);
        System.arraycopy(data, cut, data, 0, size - cut);
        size -= cut;
        base = index;
    }

    private static final int WRITE_CHUNK = 2048;

    void write(DataOutput out) throws IOException {
        out.writeLong(base);
        out.writeLong(dropped);
        out.writeInt(size);
        // big-endian floats in chunks through a small buffer, not one copy of the whole timeline per save
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(Math.min(size, WRITE_CHUNK) * 4);
        java.nio.FloatBuffer f = b.asFloatBuffer();
        for (int off = 0; off < size; off += WRITE_CHUNK) {
            int n = Math.min(WRITE_CHUNK, size - off);
            f.clear();
            f.put(data, off, n);
            out.write(b.array(), 0, n * 4);
        }
    }

    static Timeline read(DataInput in) throws IOException {
        Timeline t = new Timeline(in.readLong());
        t.dropped = in.readLong();
        int n = in.readInt();
        if (n < 0 || n > MAX_BUFFERED) {
            throw new IOException("timeline state has " + n + " samples");
        }
        t.data = new float[Math.max(256, n)];
        byte[] raw = new byte[n * 4];
        in.readFully(raw);
        java.nio.ByteBuffer.wrap(raw).asFloatBuffer().get(t.data, 0, n);
        t.size = n;
        return t;
    }
}
