package org.hypnostream.app.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

/** Classic byte-level mutations (AFL-style havoc, simplified) for the seeded mutation fuzz test. */
final class Mutator {
    private static final int[] INTERESTING = {0, 1, -1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, Integer.MAX_VALUE,
        Integer.MIN_VALUE, 65_536, 1 << 20, 4801};
    private static final String[] NUMBERS = {"0", "-1", "99999999", "1e308", "NaN", "-0", "2147483648", " ", "+", "1.5"};

    private Mutator() {
    }

    static byte[] mutate(byte[] seed, Random r) {
        byte[] b = seed.clone();
        int rounds = 1 + r.nextInt(4);
        for (int k = 0; k < rounds && b.length > 0; k++) {
            b = switch (r.nextInt(7)) {
                case 0 -> flipBit(b, r);
                case 1 -> interestingInt(b, r);
                case 2 -> asciiNumber(b, r);
                case 3 -> Arrays.copyOf(b, r.nextInt(b.length));
                case 4 -> splice(b, r);
                case 5 -> randomBytes(b, r);
                default -> interestingInt(flipBit(b, r), r);
            };
        }
        return b;
    }

    private static byte[] flipBit(byte[] b, Random r) {
        int i = r.nextInt(b.length);
        b[i] ^= (byte) (1 << r.nextInt(8));
        return b;
    }

    /** Overwrites 1, 2, 4 or 8 bytes (big endian) near the start, where the lengths and counts live, or anywhere. */
    private static byte[] interestingInt(byte[] b, Random r) {
        int width = 1 << r.nextInt(4);
        int range = r.nextBoolean() ? Math.min(b.length, 512) : b.length;
        int at = r.nextInt(range);
        long v = INTERESTING[r.nextInt(INTERESTING.length)];
        for (int i = 0; i < width && at + i < b.length; i++) {
            b[at + i] = (byte) (v >>> (8 * (width - 1 - i)));
        }
        return b;
    }

    /** Writes an ASCII number where a text header (EDF, WFDB) keeps its fields. */
    private static byte[] asciiNumber(byte[] b, Random r) {
        byte[] n = NUMBERS[r.nextInt(NUMBERS.length)].getBytes(StandardCharsets.US_ASCII);
        int at = r.nextInt(Math.min(b.length, 4096));
        System.arraycopy(n, 0, b, at, Math.min(n.length, b.length - at));
        return b;
    }

    private static byte[] splice(byte[] b, Random r) {
        int from = r.nextInt(b.length);
        int len = r.nextInt(Math.min(256, b.length - from) + 1);
        int to = r.nextInt(b.length);
        byte[] out = new byte[b.length + len];
        System.arraycopy(b, 0, out, 0, to);
        System.arraycopy(b, from, out, to, len);
        System.arraycopy(b, to, out, to + len, b.length - to);
        return out;
    }

    private static byte[] randomBytes(byte[] b, Random r) {
        int at = r.nextInt(b.length);
        int len = Math.min(b.length - at, 1 + r.nextInt(16));
        for (int i = 0; i < len; i++) {
            b[at + i] = (byte) r.nextInt(256);
        }
        return b;
    }
}
