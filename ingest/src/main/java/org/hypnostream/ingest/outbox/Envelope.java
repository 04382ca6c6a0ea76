package org.hypnostream.ingest.outbox;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One journal entry: a tiny routing header (bed id, source id, seq) followed by the block's
 * {@code SampleBlockCodec} v1 bytes, so that the relay can key and count a block without decoding its samples.
 */
record Envelope(String bedId, String sourceId, long seq, byte[] block) {

    byte[] encode() {
        byte[] bed = bedId.getBytes(StandardCharsets.UTF_8);
        byte[] source = sourceId.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(2 + bed.length + 2 + source.length + 8 + block.length);
        b.putShort((short) bed.length).put(bed).putShort((short) source.length).put(source).putLong(seq).put(block);
        return b.array();
    }

    static Envelope decode(byte[] bytes, long index) {
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            byte[] bed = new byte[b.getShort() & 0xffff];
            b.get(bed);
            byte[] source = new byte[b.getShort() & 0xffff];
            b.get(source);
            long seq = b.getLong();
            byte[] block = new byte[b.remaining()];
            b.get(block);
            return new Envelope(new String(bed, StandardCharsets.UTF_8), new String(source, StandardCharsets.UTF_8), seq, block);
        } catch (RuntimeException e) {
            throw new IllegalStateException("outbox entry at index " + Long.toHexString(index) + " is corrupt: " + e, e);
        }
    }
}
