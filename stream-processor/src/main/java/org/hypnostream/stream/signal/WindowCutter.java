package org.hypnostream.stream.signal;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.hypnostream.common.wire.QualityFlag;

/**
 * Cuts fixed windows from a set of output channels (slots; a slot is empty until its channel is bound). Window k
 * covers output samples [origin + k hop, origin + k hop + length). It is cut when every bound channel has all of
 * its samples, or when some bound channel is already one window length beyond its end (the others lag: their
 * missing samples are NaN, flagged GAP), or on {@link #cut(boolean) flush}.
 */
public final class WindowCutter {
    /** One cut window: rows per slot (NaN rows for empty slots), flags per slot. */
    public record Cut(long index, long startSample, float[][] rows, List<Set<QualityFlag>> flags, long receiveMicros) {
        /** Journal time of the newest contributing block, 0 when unknown. */
        public long lastBlockReceiveMicros() {
            return receiveMicros == Long.MIN_VALUE ? 0 : receiveMicros;
        }
    }

    private final int length;
    private final int hop;
    private final double flatRangeMicrovolts;
    private final ChannelTrack[] slots;
    private long origin;
    private long nextIndex;

    public WindowCutter(int slots, int length, int hop, long origin, double flatRangeMicrovolts) {
        if (length < 1 || hop < 1 || slots < 1) {
            throw new IllegalArgumentException("bad window " + length + "/" + hop + "/" + slots);
        }
        this.slots = new ChannelTrack[slots];
        this.length = length;
        this.hop = hop;
        this.origin = origin;
        this.flatRangeMicrovolts = flatRangeMicrovolts;
    }

    public ChannelTrack slot(int i) {
        return slots[i];
    }

    public int slotCount() {
        return slots.length;
    }

    /** Binds slot {@code i}; the new track's timeline must start at {@link #nextWindowStart()}. */
    public void bind(int i, ChannelTrack track) {
        slots[i] = track;
    }

    public long nextIndex() {
        return nextIndex;
    }

    public long nextWindowStart() {
        return origin + nextIndex * hop;
    }

    public boolean anyBound() {
        for (ChannelTrack t : slots) {
            if (t != null) {
                return true;
            }
        }
        return false;
    }

    /**
     * Feeds the block's samples to every slot bound to its source (filling any gap before {@code position} with
     * NaN in window-sized chunks, cutting as it goes) and returns the windows that became ready. Returns null when
     * no slot is bound to this source.
     */
    public List<Cut> feed(org.hypnostream.common.wire.SampleBlock b, long position, boolean clockJump) {
        List<ChannelTrack> tracks = new ArrayList<>();
        List<float[]> rows = new ArrayList<>();
        for (ChannelTrack t : slots) {
            if (t != null && t.sourceId().equals(b.sourceId())) {
                int idx = b.channelIndex(t.inputLabel());
                if (idx >= 0) {
                    tracks.add(t);
                    rows.add(b.samples()[idx]);
                }
            }
        }
        if (tracks.isEmpty()) {
            return null;
        }
        List<Cut> out = new ArrayList<>();
        long chunk = Math.max(1, (long) length * 2);
        boolean more = true;
        while (more) {
            more = false;
            for (ChannelTrack t : tracks) {
                t.fillGap(position, chunk);
                more |= t.gapBefore(position) > 0;
            }
            out.addAll(cut(false));
        }
        for (int i = 0; i < tracks.size(); i++) {
            tracks.get(i).append(rows.get(i), position, clockJump, b.receiveTimeMicros());
        }
        out.addAll(cut(false));
        return out;
    }

    /** Every window that is ready; with {@code flush}, also the windows holding any sample, marked PARTIAL. */
    public List<Cut> cut(boolean flush) {
        List<Cut> out = new ArrayList<>();
        while (anyBound()) {
            long s = nextWindowStart();
            long e = s + length;
            boolean allIn = true;
            boolean farAhead = false;
            boolean anyData = false;
            for (ChannelTrack t : slots) {
                if (t != null) {
                    long end = t.timeline().end();
                    allIn &= end >= e;
                    farAhead |= end >= e + length;
                    anyData |= end > s;
                }
            }
            if (!(allIn || farAhead || (flush && anyData))) {
                break;
            }
            out.add(cutOne(s, e));
        }
        return out;
    }

    private Cut cutOne(long s, long e) {
        float[][] rows = new float[slots.length][];
        List<Set<QualityFlag>> flags = new ArrayList<>(slots.length);
        long receive = Long.MIN_VALUE;
        for (int i = 0; i < slots.length; i++) {
            ChannelTrack t = slots[i];
            EnumSet<QualityFlag> f = EnumSet.noneOf(QualityFlag.class);
            if (t == null) {
                rows[i] = new float[length];
                java.util.Arrays.fill(rows[i], Float.NaN);
                f.add(QualityFlag.MISSING_CHANNEL);
            } else {
                rows[i] = t.timeline().copy(s, length);
                f.addAll(t.flags().in(s, e));
                if (t.timeline().end() < e) {
                    f.add(QualityFlag.GAP);
                    f.add(QualityFlag.PARTIAL);
                }
                QualityChecks.assess(rows[i], flatRangeMicrovolts, f);
                receive = Math.max(receive, t.lastReceiveMicros());
            }
            flags.add(f);
        }
        Cut c = new Cut(nextIndex, s, rows, flags, receive);
        nextIndex++;
        long keep = nextWindowStart();
        for (ChannelTrack t : slots) {
            if (t != null) {
                t.timeline().trimBefore(keep);
                t.flags().pruneBefore(keep);
            }
        }
        return c;
    }

    /**
     * Writes the cutter's head to {@code out}; slot i's chunks go under {@code key + i}, in a ring sized for what a
     * channel buffers after a cut when its channels keep pace: less than one window. A channel running ahead of a
     * lagging one (up to two windows before the cut) grows its ring (Timeline#write).
     */
    public void write(DataOutput out, StateWrites writes, String key) throws IOException {
        out.writeLong(origin);
        out.writeLong(nextIndex);
        out.writeInt(slots.length);
        for (int i = 0; i < slots.length; i++) {
            ChannelTrack t = slots[i];
            out.writeBoolean(t != null);
            if (t != null) {
                t.write(out, writes, key + i, Timeline.slotsFor(length));
            }
        }
    }

    /** Deletes the stored chunks of every bound slot (the cutter is gone). */
    public void release(StateWrites writes, String key) {
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] != null) {
                slots[i].release(writes, key + i);
            }
        }
    }

    /**
     * Restores a cutter written by {@link #write}; shape parameters come from the (unchanged) configuration.
     * {@code layout} is the layout of the part that stored it.
     */
    public static WindowCutter read(DataInput in, int length, int hop, double flatRangeMicrovolts, StateLayout layout,
            ChunkReader chunks, String key) throws IOException {
        long origin = in.readLong();
        long next = in.readLong();
        int n = in.readInt();
        if (n < 1 || n > 64) {
            throw new IOException("window state has " + n + " slots");
        }
        WindowCutter c = new WindowCutter(n, length, hop, origin, flatRangeMicrovolts);
        c.nextIndex = next;
        for (int i = 0; i < n; i++) {
            if (in.readBoolean()) {
                c.slots[i] = ChannelTrack.read(in, layout, chunks, key + i);
            }
        }
        return c;
    }
}
