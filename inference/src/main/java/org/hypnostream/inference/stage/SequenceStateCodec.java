package org.hypnostream.inference.stage;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(8192);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeLong(s.last);
            out.writeBoolean(s.alpha != null);
            if (s.alpha != null) {
                for (double v : s.alpha) {
                    out.writeDouble(v);
                }
            }
            out.writeInt(s.past.length);
            out.writeInt(s.past.length == 0 ? 0 : s.past[0].length);
            for (float[] row : s.past) {
                for (float v : row) {
                    out.writeFloat(v);
                }
            }
            double[][][] z = s.welch.sections();
            out.writeBoolean(z != null);
            if (z != null) {
                out.writeLong(s.welch.lastIndex());
                out.writeInt(z.length);
                out.writeInt(z[0].length);
                for (double[][] signal : z) {
                    for (double[] section : signal) {
                        out.writeDouble(section[0]);
                        out.writeDouble(section[1]);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * @param rows the model's past rows (window - 1)
     * @param width the model's standardised row width
     */
    static SequenceBedState decode(byte[] bytes, int rows, int width, String modelId) {
        String where = "sequence stager state of model " + modelId + " (" + bytes.length + " bytes): ";
        SequenceBedState s = new SequenceBedState(rows, width);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalArgumentException(where + "version " + version + ", expected " + VERSION
                        + (version == 1 || version == 2 ? " (a state of the HMM stager, not of a sequence model)" : ""));
            }
            s.last = in.readLong();
            if (s.last < -1) {
                throw new IllegalArgumentException(where + "last epoch index " + s.last);
            }
            if (in.readBoolean()) {
                s.alpha = new double[SequenceChain.K];
                for (int i = 0; i < SequenceChain.K; i++) {
                    s.alpha[i] = in.readDouble();
                }
            }
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
            if (in.readBoolean()) {
                long last = in.readLong();
                int signals = in.readInt();
                int sections = in.readInt();
                if (signals != RelativeWelch.SIGNALS || sections != CausalBandFilter.SECTIONS || last < 0) {
                    throw new IllegalArgumentException(where + "welch filter state " + signals + " x " + sections
                            + " at epoch " + last + ", expected " + RelativeWelch.SIGNALS + " x "
                            + CausalBandFilter.SECTIONS);
                }
                double[][][] z = new double[signals][sections][2];
                for (double[][] signal : z) {
                    for (double[] section : signal) {
                        section[0] = in.readDouble();
                        section[1] = in.readDouble();
                    }
                }
                s.welch.restore(z, last);
            }
            if (in.available() > 0) {
                throw new IllegalArgumentException(where + in.available() + " trailing bytes");
            }
        } catch (java.io.EOFException e) {
            throw new IllegalArgumentException(where + "truncated", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return s;
    }
}
