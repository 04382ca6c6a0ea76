package org.hypnostream.stream.legs;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.hypnostream.common.event.LegSide;
import org.hypnostream.common.wire.ChannelInfo;
import org.hypnostream.common.wire.LegWindow;
import org.hypnostream.common.wire.SampleBlock;
import org.hypnostream.stream.SpineConfig;
import org.hypnostream.stream.signal.ChannelTrack;
import org.hypnostream.stream.signal.ChunkReader;
import org.hypnostream.stream.signal.StateBytes;
import org.hypnostream.stream.signal.StateLayout;
import org.hypnostream.stream.signal.StateWrites;
import org.hypnostream.stream.signal.WindowCutter;

/**
 * Cuts one bed's left and right leg EMG into {@link LegWindow#SAMPLES}-sample windows at the leg rate with a
 * configurable hop: window k covers leg-rate samples [k hop, k hop + 4801) from the session start. Channels at
 * another rate are resampled causally. A leg that is not in the montage is NaN and MISSING_CHANNEL. Kafka-free.
 */
public final class LegWindowAssembler {
    /**
     * Version 3: chunks in a ring of slot keys (ADR 0026); version 2 (chunks under {@code #<chunk>} keys, ADR 0017)
     * and version 1 (samples inline) are read and migrated.
     */
    public static final int STATE_VERSION = 3;
    private static final int LEFT = 0;
    private static final int RIGHT = 1;

    private final String bedId;
    private final long sessionStartMicros;
    private final SpineConfig config;
    private final WindowCutter cutter;

    public LegWindowAssembler(String bedId, long sessionStartMicros, SpineConfig config) {
        this(bedId, sessionStartMicros, config,
                new WindowCutter(2, LegWindow.SAMPLES, config.legHopSamples(), 0, config.flatRangeMicrovolts()));
    }

    private LegWindowAssembler(String bedId, long sessionStartMicros, SpineConfig config, WindowCutter cutter) {
        this.bedId = bedId;
        this.sessionStartMicros = sessionStartMicros;
        this.config = config;
        this.cutter = cutter;
    }

    /** Input channel bound to a leg as "source/label", or null. */
    public String binding(LegSide side) {
        ChannelTrack t = cutter.slot(side == LegSide.LEFT ? LEFT : RIGHT);
        return t == null ? null : t.sourceId() + "/" + t.inputLabel();
    }

    /** The windows this block completed, or null when it carries no leg channel (state unchanged). */
    public List<LegWindow> accept(SampleBlock b, long position, boolean clockJump) {
        for (ChannelInfo c : b.channels()) {
            LegSide side = LegChannels.side(c);
            int slot = side == LegSide.LEFT ? LEFT : side == LegSide.RIGHT ? RIGHT : -1;
            if (slot >= 0 && cutter.slot(slot) == null) {
                cutter.bind(slot, new ChannelTrack(b.sourceId(), c.label(), b.sampleRateHz(), config.legRateHz(), position,
                        cutter.nextWindowStart()));
            }
        }
        List<WindowCutter.Cut> cuts = cutter.feed(b, position, clockJump);
        return cuts == null ? null : toWindows(cuts);
    }

    /** Emits every window holding any sample, the incomplete ones marked PARTIAL. */
    public List<LegWindow> flush() {
        return toWindows(cutter.cut(true));
    }

    private List<LegWindow> toWindows(List<WindowCutter.Cut> cuts) {
        List<LegWindow> out = new ArrayList<>(cuts.size());
        for (WindowCutter.Cut c : cuts) {
            out.add(new LegWindow(bedId, c.index(), sessionStartMicros, config.legRateHz(), config.legHopSamples(),
                    c.rows()[LEFT], c.rows()[RIGHT], c.flags().get(LEFT), c.flags().get(RIGHT),
                    c.lastBlockReceiveMicros()));
        }
        return out;
    }

    /** The state's head; the open windows' sample chunks go to {@code writes} under {@code key} + slot. */
    public byte[] toBytes(StateWrites writes, String key) {
        return StateBytes.of(out -> {
            out.writeByte(STATE_VERSION);
            out.writeDouble(config.legRateHz());
            out.writeInt(config.legHopSamples());
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
    public static LegWindowAssembler fromBytes(String bedId, long sessionStartMicros, SpineConfig config, byte[] state,
            ChunkReader chunks, String key) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(state));
        int v = in.readByte();
        if (v < 1 || v > STATE_VERSION) {
            throw new IOException("leg state version " + v + " (this build reads 1 to " + STATE_VERSION + ")");
        }
        if (in.readDouble() != config.legRateHz() || in.readInt() != config.legHopSamples()) {
            throw new IOException("leg state was written for another leg rate or hop");
        }
        return new LegWindowAssembler(bedId, sessionStartMicros, config,
                WindowCutter.read(in, LegWindow.SAMPLES, config.legHopSamples(), config.flatRangeMicrovolts(),
                        v == 1 ? StateLayout.INLINE : v == 2 ? StateLayout.KEYED : StateLayout.RING, chunks, key));
    }
}
