package org.hypnostream.stream.state;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a value {@link ValueWriter} wrote. Every read is bounds-checked: a truncated value, an over-long varint, a
 * count or string longer than the bytes left, a bad presence byte or bytes left over end in an
 * {@link IllegalArgumentException} that names the value and the byte offset, never in a misread.
 */
public final class ValueReader {
    private final String what;
    private final byte[] b;
    private int pos;

    /** {@code what}: names the value in error messages (e.g. "plm-bed-state value"). */
    public ValueReader(String what, byte[] bytes, int from) {
        this.what = what;
        this.b = bytes;
        this.pos = from;
    }

    public IllegalArgumentException bad(String problem) {
        return new IllegalArgumentException(what + ": " + problem + " at byte " + pos + " of " + b.length);
    }

    public int u8() {
        if (pos >= b.length) {
            throw bad("truncated");
        }
        return b[pos++] & 0xFF;
    }

    public boolean bool() {
        int v = u8();
        if (v > 1) {
            throw bad("boolean byte " + v);
        }
        return v == 1;
    }

    private boolean present() {
        int v = u8();
        if (v > 1) {
            throw bad("presence byte " + v);
        }
        return v == 1;
    }

    private long unsigned() {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int x = u8();
            v |= (long) (x & 0x7F) << shift;
            if ((x & 0x80) == 0) {
                return v;
            }
        }
        throw bad("varint longer than 10 bytes");
    }

    /** A count of elements each taking at least {@code minBytesEach} bytes: never more than the bytes left allow. */
    public int count(int minBytesEach) {
        long n = unsigned();
        if (n > (long) (b.length - pos) / Math.max(1, minBytesEach)) {
            throw bad("count " + n + " exceeds the bytes left");
        }
        return (int) n;
    }

    public long varLong() {
        long u = unsigned();
        return (u >>> 1) ^ -(u & 1);
    }

    public Long nullableLong() {
        return present() ? varLong() : null;
    }

    public int intValue() {
        long v = varLong();
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw bad("int out of range " + v);
        }
        return (int) v;
    }

    public String string() {
        if (!present()) {
            return null;
        }
        int n = count(1);
        String s = new String(b, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }

    /** A string that must be present. */
    public String text(String field) {
        String s = string();
        if (s == null) {
            throw bad(field + " missing");
        }
        return s;
    }

    public Instant instant() {
        if (!present()) {
            return null;
        }
        long s = varLong();
        long n = unsigned();
        if (n > 999_999_999L) {
            throw bad("nanoseconds " + n);
        }
        try {
            return Instant.ofEpochSecond(s, n);
        } catch (java.time.DateTimeException e) {
            throw bad("instant out of range");
        }
    }

    public List<Long> deltas() {
        int n = count(1);
        List<Long> out = new ArrayList<>(n);
        long prev = 0;
        for (int i = 0; i < n; i++) {
            prev += varLong();
            out.add(prev);
        }
        return out;
    }

    /** Throws unless every byte was read. */
    public void end() {
        if (pos != b.length) {
            throw bad((b.length - pos) + " bytes left over");
        }
    }

    /** Whether a state value is JSON (what main wrote before ADR 0031): its first byte is '{'. */
    public static boolean isJson(byte[] bytes) {
        return bytes.length > 0 && bytes[0] == '{';
    }

    /**
     * A reader of a binary state value after checking its version byte (byte 0) and kind byte (byte 1); refuses a
     * value too short, of another version or of another kind.
     */
    public static ValueReader open(String what, byte[] bytes, int version, int kind) {
        if (bytes.length < 2) {
            throw new IllegalArgumentException(what + ": " + bytes.length + " bytes, too short for a state value");
        }
        if ((bytes[0] & 0xFF) != version) {
            throw new IllegalArgumentException(what + ": unknown state format version " + (bytes[0] & 0xFF)
                    + " (this build reads JSON and version " + version + ")");
        }
        if ((bytes[1] & 0xFF) != kind) {
            throw new IllegalArgumentException(what + ": value of kind " + (bytes[1] & 0xFF) + ", expected '" + (char) kind + "'");
        }
        return new ValueReader(what, bytes, 2);
    }
}
