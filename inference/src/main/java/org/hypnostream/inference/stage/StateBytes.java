package org.hypnostream.inference.stage;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.hypnostream.inference.features.CausalBandFilter;
import org.hypnostream.inference.features.RelativeWelch;

/**
 * The parts the bed-state codecs share ({@link StagerStateCodec}, {@link SequenceStateCodec}; big-endian, doubles
 * bit for bit): the frame (a truncated state or trailing bytes are refused), the head (version byte, last epoch
 * index, posterior flag + doubles) and the relative-Welch filter state (flag + last filtered index + signals +
 * sections + signals x sections x 2 doubles).
 */
final class StateBytes {
    @FunctionalInterface
    interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    @FunctionalInterface
    interface Reader {
        void read(DataInputStream in) throws IOException;
    }

    private StateBytes() {
    }

    static byte[] write(int size, Writer body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(size);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            body.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Reads all of {@code bytes}; {@code where} begins every refusal (truncated, trailing bytes). */
    static void read(byte[] bytes, String where, Reader body) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            body.read(in);
            if (in.available() > 0) {
                throw new IllegalArgumentException(where + in.available() + " trailing bytes");
            }
        } catch (EOFException e) {
            throw new IllegalArgumentException(where + "truncated", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void writeHead(DataOutputStream out, byte version, long last, double[] alpha) throws IOException {
        out.writeByte(version);
        out.writeLong(last);
        out.writeBoolean(alpha != null);
        if (alpha != null) {
            for (double v : alpha) {
                out.writeDouble(v);
            }
        }
    }

    /** The last epoch index (refused below -1). */
    static long readLast(DataInputStream in, String where) throws IOException {
        long last = in.readLong();
        if (last < -1) {
            throw new IllegalArgumentException(where + "last epoch index " + last);
        }
        return last;
    }

    /** The posterior of {@code k} states, or null when the flag says there is none. */
    static double[] readAlpha(DataInputStream in, int k) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        double[] alpha = new double[k];
        for (int i = 0; i < k; i++) {
            alpha[i] = in.readDouble();
        }
        return alpha;
    }

    static void writeWelch(DataOutputStream out, RelativeWelch.State welch) throws IOException {
        double[][][] z = welch.sections();
        out.writeBoolean(z != null);
        if (z != null) {
            out.writeLong(welch.lastIndex());
            out.writeInt(z.length);
            out.writeInt(z[0].length);
            for (double[][] signal : z) {
                for (double[] section : signal) {
                    out.writeDouble(section[0]);
                    out.writeDouble(section[1]);
                }
            }
        }
    }

    /**
     * Restores a saved filter state into {@code welch} when the flag says there is one.
     *
     * @param allowed whether the model takes one (else a saved one is refused)
     * @param expected the end of the refusal: what the model has
     */
    static void readWelch(DataInputStream in, RelativeWelch.State welch, String where, boolean allowed,
            String expected) throws IOException {
        if (!in.readBoolean()) {
            return;
        }
        long last = in.readLong();
        int signals = in.readInt();
        int sections = in.readInt();
        if (!allowed || signals != RelativeWelch.SIGNALS || sections != CausalBandFilter.SECTIONS || last < 0) {
            throw new IllegalArgumentException(where + "welch filter state " + signals + " x " + sections
                    + " at epoch " + last + expected);
        }
        double[][][] z = new double[signals][sections][2];
        for (double[][] signal : z) {
            for (double[] section : signal) {
                section[0] = in.readDouble();
                section[1] = in.readDouble();
            }
        }
        welch.restore(z, last);
    }
}
