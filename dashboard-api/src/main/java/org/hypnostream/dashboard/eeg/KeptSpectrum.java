package org.hypnostream.dashboard.eeg;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Arrays;

/**
 * What the EEG panel keeps of an epoch's spectrogram: the columns as the page gets them, dB rounded to 0.1, as tenths
 * of a dB, delta-coded in one byte array (ADR 0027): each value is one byte, its difference from the value before it
 * (column after column, bin after bin), or when that does not fit in -127..127 an escape byte and the value itself in
 * two. Neighbouring bins of a multitaper spectrogram differ by a few dB at most, so most values take one byte (~1.7 KB
 * an epoch of 14 columns x 121 bins instead of 3.4 KB of shorts). {@link #json()} is exactly
 * {@link EegFrame#spectrumJson()} of the frame it was made from: the columns are {@code 10 log10(power + 1e-12)} of a
 * finite power, so every finite value is within +-3,100 dB and fits a short; a non-finite one is kept as
 * {@link #NOT_FINITE} and shown as null, as before. Immutable.
 */
final class KeptSpectrum {
    static final short NOT_FINITE = Short.MIN_VALUE;
    private static final byte ESCAPE = Byte.MIN_VALUE;
    private final long epochIndex;
    private final Instant epochStart;
    private final double stepSeconds;
    private final double binHz;
    /** Values per column. */
    private final int[] lengths;
    private final byte[] packed;

    private KeptSpectrum(long epochIndex, Instant epochStart, double stepSeconds, double binHz, int[] lengths, byte[] packed) {
        this.epochIndex = epochIndex;
        this.epochStart = epochStart;
        this.stepSeconds = stepSeconds;
        this.binHz = binHz;
        this.lengths = lengths;
        this.packed = packed;
    }

    static KeptSpectrum of(EegFrame f) {
        float[][] cols = f.columns();
        int[] lengths = new int[cols.length];
        int n = 0;
        for (int c = 0; c < cols.length; c++) {
            lengths[c] = cols[c].length;
            n += lengths[c];
        }
        byte[] out = new byte[3 * n];
        int at = 0;
        int previous = 0;
        for (float[] col : cols) {
            for (float v : col) {
                int tenths = tenths(v);
                int delta = tenths - previous;
                if (tenths != NOT_FINITE && previous != NOT_FINITE && delta > ESCAPE && delta <= Byte.MAX_VALUE) {
                    out[at++] = (byte) delta;
                } else {
                    out[at++] = ESCAPE;
                    out[at++] = (byte) (tenths >> 8);
                    out[at++] = (byte) tenths;
                }
                previous = tenths;
            }
        }
        return new KeptSpectrum(f.epochIndex(), f.epochStart(), f.stepSeconds(), f.binHz(), lengths, Arrays.copyOf(out, at));
    }

    /** Math.round of a float, as spectrumJson rounds; clamped so that no value wraps. */
    private static short tenths(float v) {
        return Float.isFinite(v) ? (short) Math.max(Short.MIN_VALUE + 1, Math.min(Short.MAX_VALUE, Math.round(v * 10))) : NOT_FINITE;
    }

    long epochIndex() {
        return epochIndex;
    }

    /** Bytes of spectrogram kept (the packed values). */
    int packedBytes() {
        return packed.length;
    }

    JsonObject json() {
        JsonArray cols = new JsonArray();
        int at = 0;
        int previous = 0;
        for (int length : lengths) {
            JsonArray a = new JsonArray();
            for (int i = 0; i < length; i++) {
                byte b = packed[at++];
                int v;
                if (b == ESCAPE) {
                    v = (short) ((packed[at] << 8) | (packed[at + 1] & 0xff));
                    at += 2;
                } else {
                    v = previous + b;
                }
                a.add(v == NOT_FINITE ? null : v / 10.0);
                previous = v;
            }
            cols.add(a);
        }
        return new JsonObject().put("i", epochIndex).put("start", epochStart.toString()).put("step", stepSeconds)
                .put("binHz", binHz).put("columns", cols);
    }
}
