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
 * Exact binary form of {@link StagerBedState} (big-endian, doubles bit for bit): version byte 2, last epoch index,
 * the HMM posterior (flag + 5 doubles), the night context (flag + count + spans + width + spans x width doubles), the
 * relative-Welch filter state (flag + last filtered index + signals + sections + signals x sections x 2 doubles).
 * Decoding checks every size against the model's HMM, night context and welch input and rejects trailing bytes.
 * Version 1 (no filter state) is refused: it belonged to a model without the welch input.
 */
final class StagerStateCodec {
    private static final byte VERSION = 2;

    private StagerStateCodec() {
    }

    static byte[] encode(StagerBedState s) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeLong(s.last);
            out.writeBoolean(s.alpha != null);
            if (s.alpha != null) {
                for (double v : s.alpha) {
                    out.writeDouble(v);
                }
            }
            out.writeBoolean(s.context != null);
            if (s.context != null) {
                NightContext.Running r = s.context;
                out.writeInt(r.count());
                int spans = r.spanCount();
                out.writeInt(spans);
                out.writeInt(r.mean(0).length);
                for (int k = 0; k < spans; k++) {
                    for (double v : r.mean(k)) {
                        out.writeDouble(v);
                    }
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

    /** @param spec the model's night context, or null when its graph has none */
    static StagerBedState decode(byte[] bytes, NightContext spec, String modelId) {
        return decode(bytes, spec, false, modelId);
    }

    /**
     * @param spec the model's night context, or null when its graph has none
     * @param welch whether the model has a welch input (else a saved filter state is refused)
     */
    static StagerBedState decode(byte[] bytes, NightContext spec, boolean welch, String modelId) {
        String where = "stager state of model " + modelId + " (" + bytes.length + " bytes): ";
        StagerBedState s = new StagerBedState();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalArgumentException(where + "version " + version + ", expected " + VERSION);
            }
            s.last = in.readLong();
            if (s.last < -1) {
                throw new IllegalArgumentException(where + "last epoch index " + s.last);
            }
            if (in.readBoolean()) {
                s.alpha = new double[HmmFilter.K];
                for (int i = 0; i < HmmFilter.K; i++) {
                    s.alpha[i] = in.readDouble();
                }
            }
            if (in.readBoolean()) {
                int count = in.readInt();
                int spans = in.readInt();
                int width = in.readInt();
                if (spec == null || spans != spec.spans().size() || width != spec.width()) {
                    throw new IllegalArgumentException(where + "night context " + spans + " x " + width
                            + ", the model has " + (spec == null ? "none" : spec.spans().size() + " x " + spec.width()));
                }
                NightContext.Running r = spec.newRunning();
                r.restoreCount(count);
                for (int k = 0; k < spans; k++) {
                    double[] m = r.mean(k);
                    for (int i = 0; i < width; i++) {
                        m[i] = in.readDouble();
                    }
                }
                s.context = r;
            }
            if (in.readBoolean()) {
                long last = in.readLong();
                int signals = in.readInt();
                int sections = in.readInt();
                if (!welch || signals != RelativeWelch.SIGNALS || sections != CausalBandFilter.SECTIONS || last < 0) {
                    throw new IllegalArgumentException(where + "welch filter state " + signals + " x " + sections
                            + " at epoch " + last + ", the model has " + (welch ? RelativeWelch.SIGNALS + " x "
                            + CausalBandFilter.SECTIONS : "no welch input"));
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
