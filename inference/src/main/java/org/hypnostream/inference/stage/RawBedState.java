package org.hypnostream.inference.stage;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Per-bed causal state of {@link RawEpochStager}: the channels of the last K-1 epochs (null = unusable), the last
 * probabilities the graph gave and their epoch, the last epoch index. {@link #encode}/{@link #decode} give its exact
 * binary form for state snapshots (big-endian, floats and doubles bit for bit): version byte 1, last, lastScored,
 * flag + 5 doubles of last probabilities, prior count, then per prior: index, flag, channels x samples floats.
 */
final class RawBedState implements StageScorer.BedState {
    private record Prior(long index, float[][] channels) {
    }

    private final Deque<Prior> priors = new ArrayDeque<>();
    long last = -1;
    long lastScored = -1;
    double[] lastProbabilities;

    @Override
    public long lastEpochIndex() {
        return last;
    }

    RawBedState copy() {
        RawBedState c = new RawBedState();
        c.set(this);
        return c;
    }

    void set(RawBedState from) {
        if (from != this) {
            priors.clear();
            priors.addAll(from.priors);
            last = from.last;
            lastScored = from.lastScored;
            lastProbabilities = from.lastProbabilities;
        }
    }

    /** Epochs {@code index-K+1 .. index}, oldest first: remembered channels, null where none, {@code own} last. */
    float[][][] window(long index, float[][] own, int k) {
        float[][][] w = new float[k][][];
        w[k - 1] = own;
        for (Prior p : priors) {
            long slot = p.index - (index - k + 1);
            if (slot >= 0 && slot < k - 1) {
                w[(int) slot] = p.channels;
            }
        }
        return w;
    }

    /** Folds epoch {@code index} in (its channels, or null when unusable), keeping only the last {@code keep}. */
    void remember(long index, float[][] channels, int keep) {
        last = index;
        priors.addLast(new Prior(index, channels));
        while (!priors.isEmpty() && (priors.size() > keep || priors.peekFirst().index <= index - keep)) {
            priors.removeFirst();
        }
    }

    private static final byte VERSION = 1;

    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeLong(last);
            out.writeLong(lastScored);
            out.writeBoolean(lastProbabilities != null);
            if (lastProbabilities != null) {
                out.writeInt(lastProbabilities.length);
                for (double v : lastProbabilities) {
                    out.writeDouble(v);
                }
            }
            out.writeInt(priors.size());
            for (Prior p : priors) {
                out.writeLong(p.index);
                out.writeBoolean(p.channels != null);
                if (p.channels != null) {
                    for (float[] ch : p.channels) {
                        for (float v : ch) {
                            out.writeFloat(v);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Checks every size against the model (window, channels, samples, 5 classes); rejects trailing bytes. */
    static RawBedState decode(byte[] bytes, int window, int channels, int samples, String modelId) {
        String where = "raw stager state of model " + modelId + " (" + bytes.length + " bytes): ";
        RawBedState s = new RawBedState();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalArgumentException(where + "version " + version + ", expected " + VERSION);
            }
            s.last = in.readLong();
            s.lastScored = in.readLong();
            if (s.last < -1 || s.lastScored < -1 || s.lastScored > s.last) {
                throw new IllegalArgumentException(where + "epoch indices last " + s.last + ", last scored "
                        + s.lastScored);
            }
            if (in.readBoolean()) {
                int n = in.readInt();
                if (n != 5) {
                    throw new IllegalArgumentException(where + n + " probabilities, expected 5");
                }
                s.lastProbabilities = new double[n];
                for (int i = 0; i < n; i++) {
                    s.lastProbabilities[i] = in.readDouble();
                }
            }
            int count = in.readInt();
            if (count < 0 || count > window - 1) {
                throw new IllegalArgumentException(where + count + " prior epochs, the model keeps " + (window - 1));
            }
            for (int k = 0; k < count; k++) {
                long index = in.readLong();
                float[][] ch = null;
                if (in.readBoolean()) {
                    ch = new float[channels][samples];
                    for (float[] c : ch) {
                        for (int i = 0; i < samples; i++) {
                            c[i] = in.readFloat();
                        }
                    }
                }
                s.priors.addLast(new Prior(index, ch));
            }
            if (in.available() > 0) {
                throw new IllegalArgumentException(where + in.available() + " trailing bytes");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(where + "truncated (" + e.getMessage() + ")", e);
        }
        return s;
    }
}
