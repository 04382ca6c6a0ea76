package org.hypnostream.inference.stage;

import org.hypnostream.inference.features.CausalBandFilter;
import org.hypnostream.inference.features.RelativeWelch;

/**
 * Exact binary form of {@link SequenceBedState} (big-endian, floats and doubles bit for bit): version byte 3, last
 * epoch index, alpha (flag + 5 doubles), past rows (count + width + count x width floats), the relative-Welch filter
 * state (flag + last filtered index + signals + sections + signals x sections x 2 doubles). Decoding checks every size
 * against the model's window and width and rejects trailing bytes. Versions 1 and 2 (the HMM stagers' states, {@link
 * StagerStateCodec}) are refused with the reason, never misread.
 */
final class SequenceStateCodec {
    static final byte VERSION = 3;

    private SequenceStateCodec() {
    }

    static byte[] encode(SequenceBedState s) {
        return StateBytes.write(8192, out -> {
            StateBytes.writeHead(out, VERSION, s.last, s.alpha);
            out.writeInt(s.past.length);
            out.writeInt(s.past.length == 0 ? 0 : s.past[0].length);
            for (float[] row : s.past) {
                for (float v : row) {
                    out.writeFloat(v);
                }
            }
            StateBytes.writeWelch(out, s.welch);
        });
    }

    /**
     * @param rows the model's past rows (window - 1)
     * @param width the model's standardised row width
     */
    static SequenceBedState decode(byte[] bytes, int rows, int width, String modelId) {
        String where = "sequence stager state of model " + modelId + " (" + bytes.length + " bytes): ";
        SequenceBedState s = new SequenceBedState(rows, width);
        StateBytes.read(bytes, where, in -> {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalArgumentException(where + "version " + version + ", expected " + VERSION
                        + (version == 1 || version == 2 ? " (a state of the HMM stager, not of a sequence model)" : ""));
            }
            s.last = StateBytes.readLast(in, where);
            s.alpha = StateBytes.readAlpha(in, SequenceChain.K);
            int n = in.readInt();
            int w = in.readInt();
            if (n != rows || (n > 0 && w != width)) {
                throw new IllegalArgumentException(where + "past window " + n + " x " + w + ", the model has " + rows
                        + " x " + width);
            }
            for (float[] row : s.past) {
                for (int i = 0; i < width; i++) {
                    row[i] = in.readFloat();
                }
            }
            StateBytes.readWelch(in, s.welch, where, true, ", expected " + RelativeWelch.SIGNALS + " x "
                    + CausalBandFilter.SECTIONS);
        });
        return s;
    }
}
