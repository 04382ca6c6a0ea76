package org.hypnostream.stream.state;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * Writes one compact binary state value (ADR 0031): zig-zag varints for numbers, length-prefixed UTF-8 strings, a
 * presence byte before every nullable field, counts before collections. The field order is the codec's, written out
 * field by field; {@link ValueReader} reads it back with every length checked. One writer per value, not shared.
 */
public final class ValueWriter {
    private byte[] buf;
    private int pos;

    public ValueWriter(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    private void ensure(int more) {
        if (pos + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
        }
    }

    public ValueWriter u8(int v) {
        ensure(1);
        buf[pos++] = (byte) v;
        return this;
    }

    public ValueWriter bool(boolean v) {
        return u8(v ? 1 : 0);
    }

    /** An unsigned varint (counts, lengths): 7 bits a byte, low bits first. */
    public ValueWriter count(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("negative count " + n);
        }
        return unsigned(n);
    }

    private ValueWriter unsigned(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[pos++] = (byte) v;
        return this;
    }

    /** Any long, zig-zag varint: small magnitudes (deltas, counters) take one or two bytes. */
    public ValueWriter varLong(long v) {
        return unsigned((v << 1) ^ (v >> 63));
    }

    public ValueWriter nullableLong(Long v) {
        if (v == null) {
            return u8(0);
        }
        return u8(1).varLong(v);
    }

    public ValueWriter string(String s) {
        if (s == null) {
            return u8(0);
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        u8(1).count(b.length);
        ensure(b.length);
        System.arraycopy(b, 0, buf, pos, b.length);
        pos += b.length;
        return this;
    }

    /** An instant to the nanosecond (seconds zig-zag, nanos unsigned), or absent. */
    public ValueWriter instant(Instant t) {
        if (t == null) {
            return u8(0);
        }
        return u8(1).varLong(t.getEpochSecond()).count(t.getNano());
    }

    /** Longs as a count and zig-zag deltas from the previous one (ascending series take a byte or three each). */
    public ValueWriter deltas(List<Long> values) {
        count(values.size());
        long prev = 0;
        for (Long v : values) {
            varLong(v - prev);
            prev = v;
        }
        return this;
    }

    public byte[] toBytes() {
        return Arrays.copyOf(buf, pos);
    }
}
