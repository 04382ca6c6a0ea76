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
 * <p>Stored as a small head plus {@link #CHUNK_SAMPLES}-sample chunks, each written once when it is full into a bounded
 * ring of keys per timeline (slot = chunk index mod ring size, the value carrying its chunk index), overwritten in
 * place by a later chunk instead of deleted (docs/adr/0026-spine-chunk-ring-and-one-head-per-bed.md, superseding the
 * chunk keys and deletes of docs/adr/0017-spine-state-layout.md).
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
    /** Version 2: a ring slot's value carries its absolute chunk index (ADR 0026); version 1 (ADR 0017) did not. */
    static final int CHUNK_VERSION = 2;
    private static final int LEGACY_CHUNK_VERSION = 1;
    static final int CHUNK_BYTES = 1 + 8 + CHUNK_SAMPLES * 4;
    /** Most ring slots of one timeline: every sample it may buffer, in chunks, plus one. */
    static final int MAX_SLOTS = MAX_BUFFERED / CHUNK_SAMPLES + 1;

    /** Chunks [chunk(persistedBase), savedEnd / CHUNK_SAMPLES) are stored (all full chunks still needed). */
    private long persistedBase;
    private long savedEnd;
    /** Ring slots: chunk c is stored under slot c mod slots (0 = none yet). */
    private int slots;
    /** Slots [0, slotsUsed) may hold a chunk (what {@link #release} deletes). */
    private int slotsUsed;
    /**
     * Read from ADR 0017's layout: chunks [chunk(persistedBase), legacyEnd) are stored under {@code #<chunk>} keys;
     * the next save moves them into ring slots and deletes those keys. Long.MIN_VALUE = none.
     */
    private long legacyEnd = Long.MIN_VALUE;

    private static long chunkStart(long index) {
        return Math.floorDiv(index, CHUNK_SAMPLES) * CHUNK_SAMPLES;
    }

    private static String legacyKey(String key, long start) {
        return key + "#" + Math.floorDiv(start, CHUNK_SAMPLES);
    }

    /** The key of ring slot {@code slot} of the timeline stored under {@code key}. */
    static String slotKey(String key, int slot) {
        return key + "@" + slot;
    }

    private static int slotOf(long start, int slots) {
        return (int) Math.floorMod(Math.floorDiv(start, CHUNK_SAMPLES), (long) slots);
    }

    private void markPersisted(long base, long savedEnd) {
        this.persistedBase = base;
        this.savedEnd = savedEnd;
    }

    /** Ring slots to use for {@code samples} buffered samples: their chunks (any alignment) plus one. */
    public static int slotsFor(long samples) {
        return (int) Math.min(MAX_SLOTS, Math.floorDiv(samples + CHUNK_SAMPLES - 1, CHUNK_SAMPLES) + 2);
    }

    /**
     * Writes the head (base, dropped, size, ring size and slots used, and the samples of the last, partial chunk)
     * to {@code out} and every full chunk not stored yet to {@code writes}, overwriting ring slot
     * {@code chunk mod slots} of {@code key} (docs/adr/0026-spine-chunk-ring-and-one-head-per-bed.md): no chunk is
     * ever deleted while the timeline lives. The ring has at least {@code minSlots} slots; when more full chunks are
     * buffered than it has (a channel far ahead of the others) it grows and every buffered chunk is written again.
     */
    void write(DataOutput out, StateWrites writes, String key, int minSlots) throws IOException {
        long end = end();
        long fullEnd = Math.max(chunkStart(end), chunkStart(base));
        long firstLive = chunkStart(base);
        int live = (int) ((fullEnd - firstLive) / CHUNK_SAMPLES);
        int ring = slots;
        long from = Math.max(savedEnd, firstLive);
        if (legacyEnd != Long.MIN_VALUE) {
            for (long c = chunkStart(persistedBase); c < legacyEnd; c += CHUNK_SAMPLES) {
                writes.deleteChunk(legacyKey(key, c));
            }
            from = firstLive;
        }
        if (ring < Math.max(minSlots, live)) {
            ring = (int) Math.min(MAX_SLOTS, Math.max(Math.max(minSlots, live), 2L * ring));
            from = firstLive; // the slots change: every buffered chunk goes to its new slot
        }
        int used = slotsUsed;
        for (long c = from; c + CHUNK_SAMPLES <= end; c += CHUNK_SAMPLES) {
            int slot = slotOf(c, ring);
            used = Math.max(used, slot + 1);
            writes.putChunk(slotKey(key, slot), chunkBytes(c));
        }
        out.writeLong(base);
        out.writeLong(dropped);
        out.writeInt(size);
        out.writeInt(ring);
        out.writeInt(used);
        long headFrom = Math.max(base, fullEnd);
        writeFloats(out, (int) (headFrom - base), (int) (end - headFrom));
        long newBase = base;
        int newRing = ring;
        int newUsed = used;
        writes.onApplied(() -> {
            markPersisted(newBase, fullEnd);
            slots = newRing;
            slotsUsed = newUsed;
            legacyEnd = Long.MIN_VALUE;
        });
    }

    /** Deletes every ring slot this timeline may have written, and any chunk of ADR 0017's layout (its track is gone). */
    void release(StateWrites writes, String key) {
        for (int s = 0; s < slotsUsed; s++) {
            writes.deleteChunk(slotKey(key, s));
        }
        if (legacyEnd != Long.MIN_VALUE) {
            for (long c = chunkStart(persistedBase); c < legacyEnd; c += CHUNK_SAMPLES) {
                writes.deleteChunk(legacyKey(key, c));
            }
        }
        writes.onApplied(() -> {
            slotsUsed = 0;
            legacyEnd = Long.MIN_VALUE;
            markPersisted(Long.MAX_VALUE - CHUNK_SAMPLES, Long.MIN_VALUE / 2);
        });
    }

    private byte[] chunkBytes(long c) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(CHUNK_BYTES);
        b.put((byte) CHUNK_VERSION);
        b.putLong(Math.floorDiv(c, CHUNK_SAMPLES));
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

    /**
     * Reads a head written by {@link #write} and its chunks from the ring slots in {@code chunks}. A slot that is
     * empty, malformed or holds another chunk index (stale) is an {@link IOException}, never misread.
     */
    static Timeline read(DataInput in, ChunkReader chunks, String key) throws IOException {
        Timeline t = readHeader(in);
        int ring = in.readInt();
        int used = in.readInt();
        if (ring < 0 || ring > MAX_SLOTS || used < 0 || used > ring) {
            throw new IOException("timeline state has " + used + " of " + ring + " ring slots");
        }
        long end = t.end();
        long fullEnd = Math.max(chunkStart(end), chunkStart(t.base));
        if ((fullEnd - chunkStart(t.base)) / CHUNK_SAMPLES > ring) {
            throw new IOException("timeline state needs " + (fullEnd - chunkStart(t.base)) / CHUNK_SAMPLES
                    + " chunks in a ring of " + ring);
        }
        for (long c = chunkStart(t.base); c + CHUNK_SAMPLES <= end; c += CHUNK_SAMPLES) {
            String k = slotKey(key, slotOf(c, ring));
            byte[] v = chunks.get(k);
            long want = Math.floorDiv(c, CHUNK_SAMPLES);
            if (v == null || v.length != CHUNK_BYTES || v[0] != CHUNK_VERSION) {
                throw new IOException("chunk slot " + k + (v == null ? " is empty" : " does not hold a version "
                        + CHUNK_VERSION + " chunk of " + CHUNK_SAMPLES + " samples") + " (chunk " + want + " wanted)");
            }
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(v, 1, CHUNK_BYTES - 1);
            long held = b.getLong();
            if (held != want) {
                throw new IOException("chunk slot " + k + " holds chunk " + held + ", not " + want + " (stale)");
            }
            t.fill(b.asFloatBuffer(), c);
        }
        t.readPartial(in, fullEnd);
        t.markPersisted(t.base, fullEnd);
        t.slots = ring;
        t.slotsUsed = used;
        return t;
    }

    /**
     * Reads a head of ADR 0017's layout (chunks under {@code #<chunk>} keys, version 1 values). The next save moves
     * its chunks into ring slots and deletes those keys.
     */
    static Timeline readKeyed(DataInput in, ChunkReader chunks, String key) throws IOException {
        Timeline t = readHeader(in);
        long end = t.end();
        long fullEnd = Math.max(chunkStart(end), chunkStart(t.base));
        for (long c = chunkStart(t.base); c + CHUNK_SAMPLES <= end; c += CHUNK_SAMPLES) {
            byte[] v = chunks.get(legacyKey(key, c));
            if (v == null || v.length != 1 + CHUNK_SAMPLES * 4 || v[0] != LEGACY_CHUNK_VERSION) {
                throw new IOException("chunk " + legacyKey(key, c) + (v == null ? " is missing" : " is not a version "
                        + LEGACY_CHUNK_VERSION + " chunk of " + CHUNK_SAMPLES + " samples"));
            }
            t.fill(java.nio.ByteBuffer.wrap(v, 1, CHUNK_SAMPLES * 4).asFloatBuffer(), c);
        }
        t.readPartial(in, fullEnd);
        t.markPersisted(t.base, chunkStart(t.base));
        t.legacyEnd = fullEnd;
        return t;
    }

    /** Copies chunk {@code c}'s samples at or above the base from {@code f} (positioned at the chunk's start). */
    private void fill(java.nio.FloatBuffer f, long c) {
        long from = Math.max(c, base);
        f.position(f.position() + (int) (from - c));
        f.get(data, (int) (from - base), (int) (c + CHUNK_SAMPLES - from));
    }

    private void readPartial(DataInput in, long fullEnd) throws IOException {
        long headFrom = Math.max(base, fullEnd);
        int inHead = (int) (end() - headFrom);
        byte[] raw = new byte[inHead * 4];
        in.readFully(raw);
        java.nio.ByteBuffer.wrap(raw).asFloatBuffer().get(data, (int) (headFrom - base), inHead);
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
