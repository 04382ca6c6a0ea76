package org.hypnostream.stream.signal;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Output samples of one channel at absolute indices [base, end); older samples are trimmed once every window
 * that needs them has been cut. A sample put below {@code base} (its window was already emitted) is dropped and
 * counted.
 *
 * <p>Stored as a small head plus immutable {@link #CHUNK_SAMPLES}-sample chunks under their own keys, each written
 * once when it is full and deleted once trimmed (docs/adr/0017-spine-state-layout.md).
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
        markPersisted(base, chunkStart(base));
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

    /** Samples per stored chunk (1 KiB of floats); chunk c holds absolute indices [c CHUNK, (c + 1) CHUNK). */
    static final int CHUNK_SAMPLES = 256;
    private static final int CHUNK_VERSION = 1;

    /** Chunks [chunk(persistedBase), savedEnd / CHUNK_SAMPLES) are stored (all full chunks still needed). */
    private long persistedBase;
    private long savedEnd;

    private static long chunkStart(long index) {
        return Math.floorDiv(index, CHUNK_SAMPLES) * CHUNK_SAMPLES;
    }

    private static String chunkKey(String key, long start) {
        return key + "#" + Math.floorDiv(start, CHUNK_SAMPLES);
    }

    private void markPersisted(long base, long savedEnd) {
        this.persistedBase = base;
        this.savedEnd = savedEnd;
    }

    /**
     * Writes the head (base, dropped, size and the samples of the last, partial chunk) to {@code out}, every full
     * chunk not stored yet to {@code writes} under {@code key + "#" + chunk}, and deletes the stored chunks that lie
     * wholly before {@code base}. The bytes written grow with the samples added since the last save, not with the
     * samples buffered.
     */
    void write(DataOutput out, StateWrites writes, String key) throws IOException {
        long end = end();
        long fullEnd = Math.max(chunkStart(end), chunkStart(base));
        out.writeLong(base);
        out.writeLong(dropped);
        out.writeInt(size);
        long headFrom = Math.max(base, fullEnd);
        writeFloats(out, (int) (headFrom - base), (int) (end - headFrom));
        long deleteTo = Math.min(chunkStart(base), savedEnd);
        for (long c = chunkStart(persistedBase); c < deleteTo; c += CHUNK_SAMPLES) {
            writes.deleteChunk(chunkKey(key, c));
        }
        for (long c = Math.max(savedEnd, chunkStart(base)); c + CHUNK_SAMPLES <= end; c += CHUNK_SAMPLES) {
            writes.putChunk(chunkKey(key, c), chunkBytes(c));
        }
        long newBase = base;
        writes.onApplied(() -> markPersisted(newBase, fullEnd));
    }

    /** Deletes every stored chunk of this timeline (its track is gone). */
    void release(StateWrites writes, String key) {
        for (long c = chunkStart(persistedBase); c < savedEnd; c += CHUNK_SAMPLES) {
            writes.deleteChunk(chunkKey(key, c));
        }
        writes.onApplied(() -> markPersisted(Long.MAX_VALUE - CHUNK_SAMPLES, Long.MIN_VALUE / 2));
    }

    private byte[] chunkBytes(long c) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1 + CHUNK_SAMPLES * 4);
        b.put((byte) CHUNK_VERSION);
        for (long i = c; i < c + CHUNK_SAMPLES; i++) {
            b.putFloat(i < base ? Float.NaN : data[(int) (i - base)]);
        }
        return b.array();
    }

    /** A head holds less than one chunk per timeline, so one chunk-sized buffer per thread carries it. */
    private static final ThreadLocal<java.nio.ByteBuffer> HEAD_FLOATS =
            ThreadLocal.withInitial(() -> java.nio.ByteBuffer.allocate(CHUNK_SAMPLES * 4));

    private void writeFloats(DataOutput out, int from, int n) throws IOException {
        java.nio.ByteBuffer b = n <= CHUNK_SAMPLES ? HEAD_FLOATS.get() : java.nio.ByteBuffer.allocate(n * 4);
        b.clear();
        b.asFloatBuffer().put(data, from, n);
        out.write(b.array(), 0, n * 4);
    }

    /** Reads a head written by {@link #write(DataOutput, StateWrites, String)} and its chunks from {@code chunks}. */
    static Timeline read(DataInput in, ChunkReader chunks, String key) throws IOException {
        Timeline t = readHeader(in);
        long end = t.end();
        long fullEnd = Math.max(chunkStart(end), chunkStart(t.base));
        for (long c = chunkStart(t.base); c + CHUNK_SAMPLES <= end; c += CHUNK_SAMPLES) {
            byte[] v = chunks.get(chunkKey(key, c));
            if (v == null || v.length != 1 + CHUNK_SAMPLES * 4 || v[0] != CHUNK_VERSION) {
                throw new IOException("chunk " + chunkKey(key, c) + (v == null ? " is missing" : " is not a version "
                        + CHUNK_VERSION + " chunk of " + CHUNK_SAMPLES + " samples"));
            }
            java.nio.FloatBuffer f = java.nio.ByteBuffer.wrap(v, 1, CHUNK_SAMPLES * 4).asFloatBuffer();
            long from = Math.max(c, t.base);
            f.position((int) (from - c));
            f.get(t.data, (int) (from - t.base), (int) (c + CHUNK_SAMPLES - from));
        }
        long headFrom = Math.max(t.base, fullEnd);
        int inHead = (int) (end - headFrom);
        byte[] raw = new byte[inHead * 4];
        in.readFully(raw);
        java.nio.ByteBuffer.wrap(raw).asFloatBuffer().get(t.data, (int) (headFrom - t.base), inHead);
        t.markPersisted(t.base, fullEnd);
        return t;
    }

    /**
     * Reads a timeline of the version-1 layout (every buffered sample inline, before ADR 0017). Nothing of it is in
     * the chunk store, so the next save writes all of its full chunks.
     */
    static Timeline readInline(DataInput in) throws IOException {
        Timeline t = readHeader(in);
        byte[] raw = new byte[t.size * 4];
        in.readFully(raw);
        java.nio.ByteBuffer.wrap(raw).asFloatBuffer().get(t.data, 0, t.size);
        return t;
    }

    /** The fields both layouts begin with: base, dropped count and the number of buffered samples (room made for them). */
    private static Timeline readHeader(DataInput in) throws IOException {
        Timeline t = new Timeline(in.readLong());
        t.dropped = in.readLong();
        int n = in.readInt();
        if (n < 0 || n > MAX_BUFFERED) {
            throw new IOException("timeline state has " + n + " samples");
        }
        t.data = new float[Math.max(256, n)];
        t.size = n;
        return t;
    }
}
