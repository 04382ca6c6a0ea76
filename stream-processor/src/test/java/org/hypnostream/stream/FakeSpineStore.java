package org.hypnostream.stream;

import org.hypnostream.stream.signal.MemoryChunks;
import org.hypnostream.stream.signal.StateWrites;

/**
 * The spine's five stores for one bed, in memory, as {@code SpineBlockHandler} stores them: the head store
 * ({@code parts[0]}), the older layout's part stores ({@code parts[1..3]}) and the chunks.
 */
final class FakeSpineStore {
    final byte[][] parts = new byte[4][];
    final MemoryChunks chunks = new MemoryChunks();

    /** Stores one save and tells the spine; returns the value bytes it wrote (heads and chunks). */
    long save(BedSpine spine) {
        StateWrites w = spine.changes();
        long bytes = w.valueBytes();
        for (int i = 0; i < 4; i++) {
            if (w.part(i) != null) {
                parts[i] = w.part(i);
            } else if (w.deleted(i)) {
                parts[i] = null;
            }
        }
        chunks.apply(w);
        return bytes;
    }

    BedSpine restore(String bed, SpineConfig config) {
        return BedSpine.restore(bed, config, parts.clone(), chunks);
    }
}
