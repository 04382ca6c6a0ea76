package org.hypnostream.stream.epoch;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.hypnostream.common.wire.ChannelInfo;
import org.hypnostream.common.wire.Epoch;
import org.hypnostream.common.wire.QualityFlag;
import org.hypnostream.common.wire.SampleBlock;
import org.hypnostream.stream.SpineConfig;
import org.hypnostream.stream.signal.ChannelTrack;
import org.hypnostream.stream.signal.ChunkReader;
import org.hypnostream.stream.signal.StateBytes;
import org.hypnostream.stream.signal.StateLayout;
import org.hypnostream.stream.signal.StateWrites;
import org.hypnostream.stream.signal.WindowCutter;

/**
 * Cuts one bed's samples into 30-s epochs aligned to the session start (docs/adr/0001-epoch-alignment.md): each
 * stager input is bound by label to the first matching input channel, resampled causally to the stager rate (or
 * passed through bit-exactly at that rate), and epoch n = output samples [n N, (n + 1) N) is emitted once every
 * bound channel has them (or one channel is a whole epoch further). Kafka-free; state via {@link #toBytes()}.
 */
public final class EpochAssembler {
    /**
     * Version 3: chunks in a ring of slot keys (ADR 0026); version 2 (chunks under {@code #<chunk>} keys, ADR 0017)
     * and version 1 (samples inline) are read and migrated.
     */
    public static final int STATE_VERSION = 3;

    private final String bedId;
    private final long sessionStartMicros;
    private final SpineConfig config;
    private final List<String> labels;
    private final WindowCutter cutter;

    public EpochAssembler(String bedId, long sessionStartMicros, SpineConfig config) {
        this(bedId, sessionStartMicros, config, new WindowCutter(config.stagerChannels().size(), config.epochSamples(),
                config.epochSamples(), 0, config.flatRangeMicrovolts()));
    }

    private EpochAssembler(String bedId, long sessionStartMicros, SpineConfig config, WindowCutter cutter) {
        this.bedId = bedId;
        this.sessionStartMicros = sessionStartMicros;
        this.config = config;
        this.labels = List.copyOf(config.stagerChannels().keySet());
        this.cutter = cutter;
    }

    /** Output channel labels, in order. */
    public List<String> labels() {
        return labels;
    }

    /** Input channel bound to output {@code label} as "source/label", or null when none is yet. */
    public String binding(String label) {
        ChannelTrack t = cutter.slot(labels.indexOf(label));
        return t == null ? null : t.sourceId() + "/" + t.inputLabel();
    }

    /** Index of the next epoch to be emitted. */
    public long nextEpoch() {
        return cutter.nextIndex();
    }

    /**
     * Applies an admitted block whose first sample is input sample {@code position} of its source; returns the
     * epochs it completed, or null when the block carries no stager channel (state unchanged).
     */
    public List<Epoch> accept(SampleBlock b, long position, boolean clockJump) {
        bind(b, position);
        List<WindowCutter.Cut> cuts = cutter.feed(b, position, clockJump);
        return cuts == null ? null : toEpochs(cuts);
    }

    /** Emits every epoch holding any sample, the incomplete last one marked PARTIAL (end of session). */
    public List<Epoch> flush() {
        return toEpochs(cutter.cut(true));
    }

    private void bind(SampleBlock b, long position) {
        Map<String, List<String>> wanted = config.stagerChannels();
        for (int i = 0; i < labels.size(); i++) {
            if (cutter.slot(i) != null) {
                continue;
            }
            for (String candidate : wanted.get(labels.get(i))) {
                ChannelInfo found = find(b, candidate);
                if (found != null) {
                    cutter.bind(i, new ChannelTrack(b.sourceId(), found.label(), b.sampleRateHz(), config.stagerRateHz(),
                            position, cutter.nextWindowStart()));
                    break;
                }
            }
        }
    }

    private static ChannelInfo find(SampleBlock b, String candidate) {
        String want = candidate.trim().toLowerCase(Locale.ROOT);
        for (ChannelInfo c : b.channels()) {
            if (c.label().trim().toLowerCase(Locale.ROOT).equals(want)) {
                return c;
            }
        }
        return null;
    }

    private List<Epoch> toEpochs(List<WindowCutter.Cut> cuts) {
        List<Epoch> out = new ArrayList<>(cuts.size());
        for (WindowCutter.Cut c : cuts) {
            Set<QualityFlag> q = EnumSet.noneOf(QualityFlag.class);
            c.flags().forEach(q::addAll);
            out.add(new Epoch(bedId, c.index(), sessionStartMicros, config.stagerRateHz(), labels, c.rows(), q,
                    c.lastBlockReceiveMicros()));
        }
        return out;
    }

    /** The state's head; the open epoch's sample chunks go to {@code writes} under {@code key} + slot. */
    public byte[] toBytes(StateWrites writes, String key) {
        return StateBytes.of(out -> {
            out.writeByte(STATE_VERSION);
            out.writeDouble(config.stagerRateHz());
            out.writeInt(config.epochSamples());
            out.writeUTF(String.join("\u0000", labels));
            cutter.write(out, writes, key);
        });
    }

    /** Deletes the stored chunks of this assembler (it is replaced). */
    public void release(StateWrites writes, String key) {
        cutter.release(writes, key);
    }

    /**
     * Restores state (version 3 or 2 with its chunks from {@code chunks}, or version 1 with samples inline); throws
     * {@link IOException} when it is corrupt, misses a chunk or was written under other settings.
     */
    public static EpochAssembler fromBytes(String bedId, long sessionStartMicros, SpineConfig config, byte[] state,
            ChunkReader chunks, String key) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(state));
        int v = in.readByte();
        if (v < 1 || v > STATE_VERSION) {
            throw new IOException("epoch state version " + v + " (this build reads 1 to " + STATE_VERSION + ")");
        }
        double rate = in.readDouble();
        int n = in.readInt();
        String labels = in.readUTF();
        if (rate != config.stagerRateHz() || n != config.epochSamples()
                || !labels.equals(String.join("\u0000", config.stagerChannels().keySet()))) {
            throw new IOException("epoch state was written for other stager settings");
        }
        return new EpochAssembler(bedId, sessionStartMicros, config,
                WindowCutter.read(in, config.epochSamples(), config.epochSamples(), config.flatRangeMicrovolts(),
                        v == 1 ? StateLayout.INLINE : v == 2 ? StateLayout.KEYED : StateLayout.RING, chunks, key));
    }
}
