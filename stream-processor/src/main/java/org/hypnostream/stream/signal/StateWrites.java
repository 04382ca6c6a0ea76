package org.hypnostream.stream.signal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one save of a bed's spine state writes: the small per-part head values (null = part unchanged) and the
 * window-sample chunks to put or delete under their own keys (docs/adr/0017-spine-state-layout.md,
 * docs/adr/0026-spine-chunk-ring-and-one-head-per-bed.md). Pure: the
 * caller stores it (one transaction under exactly-once) and then calls {@link #applied()}, which tells the state
 * what is now stored. A save that is not applied must be thrown away together with the in-memory state it came
 * from (the spine evicts the bed and restores it from the stores).
 */
public final class StateWrites {
    private final byte[][] parts;
    private final boolean[] deleted;
    /** Chunk key to value, null = delete; a later write of a key replaces an earlier one (deletes come first). */
    private final Map<String, byte[]> chunks = new LinkedHashMap<>();
    private final List<Runnable> onApplied = new ArrayList<>();

    public StateWrites(int partCount) {
        this.parts = new byte[partCount][];
        this.deleted = new boolean[partCount];
    }

    /** Deletes part {@code i}'s value (a store of an older layout whose content moved elsewhere). */
    public void deletePart(int i) {
        parts[i] = null;
        deleted[i] = true;
    }

    /** Whether this save deletes part {@code i}'s value. */
    public boolean deleted(int i) {
        return deleted[i];
    }

    public void part(int i, byte[] value) {
        parts[i] = value;
    }

    /** The head value of part {@code i}, or null when it is unchanged (or deleted). */
    public byte[] part(int i) {
        return parts[i];
    }

    public int partCount() {
        return parts.length;
    }

    public void putChunk(String key, byte[] value) {
        chunks.put(key, value);
    }

    public void deleteChunk(String key) {
        chunks.put(key, null);
    }

    /** Chunk writes in order; a null value is a delete. */
    public Map<String, byte[]> chunks() {
        return Collections.unmodifiableMap(chunks);
    }

    /** Runs once the writes are stored. */
    public void onApplied(Runnable r) {
        onApplied.add(r);
    }

    /** Value bytes this save writes (head parts and chunks; keys and deletes not counted). */
    public long valueBytes() {
        long n = 0;
        for (byte[] p : parts) {
            n += p == null ? 0 : p.length;
        }
        for (byte[] v : chunks.values()) {
            n += v == null ? 0 : v.length;
        }
        return n;
    }

    /** Store records this save writes: changed head parts, part deletes, chunk puts and chunk deletes. */
    public int records() {
        int n = chunks.size();
        for (int i = 0; i < parts.length; i++) {
            n += parts[i] != null || deleted[i] ? 1 : 0;
        }
        return n;
    }

    /** Tells the state that these writes are stored. */
    public void applied() {
        for (Runnable r : onApplied) {
            r.run();
        }
        onApplied.clear();
    }
}
