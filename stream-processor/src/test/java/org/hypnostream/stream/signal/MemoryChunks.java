package org.hypnostream.stream.signal;

import java.util.HashMap;
import java.util.Map;

/** A chunk store in memory for tests: applies {@link StateWrites}' chunk puts and deletes and counts them. */
public final class MemoryChunks implements ChunkReader {
    private final Map<String, byte[]> chunks = new HashMap<>();
    private long putBytes;
    private int puts;
    private int deletes;

    @Override
    public byte[] get(String key) {
        return chunks.get(key);
    }

    /** Stores the chunk writes of {@code w} (not its head parts, and without calling {@link StateWrites#applied()}). */
    public void store(StateWrites w) {
        for (Map.Entry<String, byte[]> e : w.chunks().entrySet()) {
            if (e.getValue() == null) {
                chunks.remove(e.getKey());
                deletes++;
            } else {
                chunks.put(e.getKey(), e.getValue());
                putBytes += e.getValue().length;
                puts++;
            }
        }
    }

    /** Stores the chunk writes of {@code w} and tells it they are stored. */
    public void apply(StateWrites w) {
        store(w);
        w.applied();
    }

    public int size() {
        return chunks.size();
    }

    public Map<String, byte[]> all() {
        return Map.copyOf(chunks);
    }

    public long putBytes() {
        return putBytes;
    }

    public int puts() {
        return puts;
    }

    public int deletes() {
        return deletes;
    }
}
