package org.hypnostream.common.wire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/** Writes one binary frame: magic, version, length, body, CRC32C. The counterpart of {@link FrameReader}. */
public final class FrameWriter {
    private ByteBuffer buf;
    private final int headerEnd;

    public FrameWriter(byte[] magic, int version, int expectedBodyBytes) {
        buf = ByteBuffer.allocate(magic.length + 5 + Math.max(64, expectedBodyBytes) + 4).order(ByteOrder.BIG_ENDIAN);
        buf.put(magic).put((byte) version).putInt(0);
        headerEnd = buf.position();
    }

    private void ensure(int n) {
        if (buf.remaining() < n) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + n + 4))
                    .order(ByteOrder.BIG_ENDIAN);
            buf.flip();
            bigger.put(buf);
            buf = bigger;
        }
    }

    public FrameWriter i64(long v) {
        ensure(8);
        buf.putLong(v);
        return this;
    }

    public FrameWriter i32(int v) {
        ensure(4);
        buf.putInt(v);
        return this;
    }

    public FrameWriter u16(int v) {
        if (v < 0 || v > 0xffff) {
            throw new IllegalArgumentException("u16 out of range: " + v);
        }
        ensure(2);
        buf.putShort((short) v);
        return this;
    }

    public FrameWriter u8(int v) {
        if (v < 0 || v > 0xff) {
            throw new IllegalArgumentException("u8 out of range: " + v);
        }
        ensure(1);
        buf.put((byte) v);
        return this;
    }

    public FrameWriter f64(double v) {
        ensure(8);
        buf.putDouble(v);
        return this;
    }

    public FrameWriter str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        u16(b.length);
        ensure(b.length);
        buf.put(b);
        return this;
    }

    public FrameWriter floats(float[] v) {
        ensure(v.length * 4);
        buf.asFloatBuffer().put(v);
        buf.position(buf.position() + v.length * 4);
        return this;
    }

    public byte[] finish() {
        ensure(4);
        int len = buf.position() + 4;
        buf.putInt(headerEnd - 4, len);
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), 0, buf.position());
        buf.putInt((int) crc.getValue());
        byte[] out = new byte[len];
        System.arraycopy(buf.array(), 0, out, 0, len);
        return out;
    }
}
