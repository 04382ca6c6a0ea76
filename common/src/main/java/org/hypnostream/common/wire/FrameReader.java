package org.hypnostream.common.wire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * Bounds-checked reader of one binary frame: magic, version, length, body, CRC32C. Every read checks the remaining
 * bytes first, so a truncated or corrupt frame gives a {@link BlockFormatException}, never an index error or a huge
 * allocation.
 */
public final class FrameReader {
    private final ByteBuffer buf;
    private final String what;

    private FrameReader(ByteBuffer buf, String what) {
        this.buf = buf;
        this.what = what;
    }

    /** Checks magic, version, declared length and CRC, and positions the reader at the start of the body. */
    public static FrameReader open(byte[] bytes, byte[] magic, int version, String what) {
        if (bytes == null) {
            throw new BlockFormatException(what + ": null frame");
        }
        int header = magic.length + 1 + 4;
        if (bytes.length < header + 4) {
            throw new BlockFormatException(what + ": truncated frame of " + bytes.length + " bytes");
        }
        for (int i = 0; i < magic.length; i++) {
            if (bytes[i] != magic[i]) {
                throw new BlockFormatException(what + ": bad magic bytes, not a " + what + " frame");
            }
        }
        int v = bytes[magic.length] & 0xff;
        if (v != version) {
            throw new BlockFormatException(what + ": unsupported wire version " + v + " (this build reads " + version + ")");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
        int declared = b.getInt(magic.length + 1);
        if (declared != bytes.length) {
            throw new BlockFormatException(what + ": declared length " + declared + " but frame has " + bytes.length
                    + " bytes (truncated or padded)");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        int stored = b.getInt(bytes.length - 4);
        if ((int) crc.getValue() != stored) {
            throw new BlockFormatException(what + ": checksum mismatch (corrupt frame)");
        }
        b.position(header);
        b.limit(bytes.length - 4);
        return new FrameReader(b, what);
    }

    private void need(int n, String field) {
        if (n < 0 || buf.remaining() < n) {
            throw new BlockFormatException(what + ": truncated at " + field + " (need " + n + " bytes, have "
                    + buf.remaining() + ")");
        }
    }

    public long i64(String field) {
        need(8, field);
        return buf.getLong();
    }

    public int i32(String field) {
        need(4, field);
        return buf.getInt();
    }

    public int u16(String field) {
        need(2, field);
        return buf.getShort() & 0xffff;
    }

    public int u8(String field) {
        need(1, field);
        return buf.get() & 0xff;
    }

    public double f64(String field) {
        need(8, field);
        return buf.getDouble();
    }

    public String str(String field, int maxBytes) {
        int n = u16(field + " length");
        if (n > maxBytes) {
            throw new BlockFormatException(what + ": " + field + " is " + n + " bytes, limit " + maxBytes);
        }
        need(n, field);
        byte[] b = new byte[n];
        buf.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Reads {@code n} float32 values; {@code n} was bounded by the caller before this allocation. */
    public float[] floats(int n, String field) {
        need(n * 4, field);
        float[] out = new float[n];
        buf.asFloatBuffer().get(out);
        buf.position(buf.position() + n * 4);
        return out;
    }

    public int remaining() {
        return buf.remaining();
    }

    public void end() {
        if (buf.remaining() != 0) {
            throw new BlockFormatException(what + ": " + buf.remaining() + " unexpected trailing bytes");
        }
    }

    public String what() {
        return what;
    }
}
