package org.hypnostream.dashboard.eeg;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * What the EEG panel keeps of an epoch's spectrogram: the columns as the page gets them, dB rounded to 0.1, held as
 * tenths of a dB in a {@code short} (2 bytes a bin instead of a float's 4: ~3.4 KB an epoch, ~200 KB a bed once its 60
 * epochs are kept). {@link #json()} is exactly {@link EegFrame#spectrumJson()} of the frame it was made from: the
 * columns are {@code 10 log10(power + 1e-12)} of a finite power, so every finite value is within +-3,100 dB and
 * fits; a non-finite one is kept as {@link #NOT_FINITE} and shown as null, as before.
 */
record KeptSpectrum(long epochIndex, Instant epochStart, double stepSeconds, double binHz, short[][] tenthsDb) {
    static final short NOT_FINITE = Short.MIN_VALUE;

    static KeptSpectrum of(EegFrame f) {
        short[][] cols = new short[f.columns().length][];
        for (int c = 0; c < cols.length; c++) {
            float[] col = f.columns()[c];
            short[] out = new short[col.length];
            for (int i = 0; i < col.length; i++) {
                // Math.round of a float, as spectrumJson rounds; clamped so that no value wraps
                out[i] = Float.isFinite(col[i]) ? (short) Math.max(Short.MIN_VALUE + 1, Math.min(Short.MAX_VALUE, Math.round(col[i] * 10)))
                        : NOT_FINITE;
            }
            cols[c] = out;
        }
        return new KeptSpectrum(f.epochIndex(), f.epochStart(), f.stepSeconds(), f.binHz(), cols);
    }

    JsonObject json() {
        JsonArray cols = new JsonArray();
        for (short[] col : tenthsDb) {
            JsonArray a = new JsonArray();
            for (short v : col) {
                a.add(v == NOT_FINITE ? null : v / 10.0);
            }
            cols.add(a);
        }
        return new JsonObject().put("i", epochIndex).put("start", epochStart.toString()).put("step", stepSeconds)
                .put("binHz", binHz).put("columns", cols);
    }
}
