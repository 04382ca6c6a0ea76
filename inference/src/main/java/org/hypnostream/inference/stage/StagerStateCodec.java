package org.hypnostream.inference.stage;

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
        return StateBytes.write(64, out -> {
            StateBytes.writeHead(out, VERSION, s.last, s.alpha);
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
            StateBytes.writeWelch(out, s.welch);
        });
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
        StateBytes.read(bytes, where, in -> {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalArgumentException(where + "version " + version + ", expected " + VERSION);
            }
            s.last = StateBytes.readLast(in, where);
            s.alpha = StateBytes.readAlpha(in, HmmFilter.K);
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
            StateBytes.readWelch(in, s.welch, where, welch, ", the model has " + (welch ? RelativeWelch.SIGNALS
                    + " x " + CausalBandFilter.SECTIONS : "no welch input"));
        });
        return s;
    }
}
