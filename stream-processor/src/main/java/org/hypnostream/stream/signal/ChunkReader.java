package org.hypnostream.stream.signal;

/** Reads a stored window-sample chunk by key (the spine's chunk store); null when there is none. */
@FunctionalInterface
public interface ChunkReader {
    byte[] get(String key);
}
