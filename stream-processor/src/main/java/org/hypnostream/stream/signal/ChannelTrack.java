package org.hypnostream.stream.signal;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.hypnostream.common.wire.QualityFlag;

/**
 * One output channel of a window assembler: bound to one input channel (source id + label), resampled to the
 * output rate into a {@link Timeline}, with quality flags on output sample ranges. Input positions are absolute
 * sample indices of the source from the session start (see {@code SourceTracker}).
 */
public final class ChannelTrack {
    private final String sourceId;
    private final String inputLabel;
    private final double inputRateHz;
    private final Resampler resampler;
    private final Timeline timeline;
    private final FlagSpans flags;
    private long lastReceiveMicros;

    public ChannelTrack(String sourceId, String inputLabel, double inputRateHz, double outputRateHz, long firstInputIndex,
            long timelineBase) {
        this(sourceId, inputLabel, inputRateHz, new Resampler(inputRateHz, outputRateHz, firstInputIndex),
                new Timeline(timelineBase), new FlagSpans(), Long.MIN_VALUE);
        long firstOut = resampler.firstOutputOf(firstInputIndex);
        if (firstOut > timelineBase) {
            flags.add(QualityFlag.GAP, timelineBase, firstOut - 1);
        }
    }

    private ChannelTrack(String sourceId, String inputLabel, double inputRateHz, Resampler resampler, Timeline timeline,
            FlagSpans flags, long lastReceiveMicros) {
        this.sourceId = sourceId;
        this.inputLabel = inputLabel;
        this.inputRateHz = inputRateHz;
        this.resampler = resampler;
        this.timeline = timeline;
        this.flags = flags;
        this.lastReceiveMicros = lastReceiveMicros;
    }

    public String sourceId() {
        return sourceId;
    }

    public String inputLabel() {
        return inputLabel;
    }

    public double inputRateHz() {
        return inputRateHz;
    }

    public Timeline timeline() {
        return timeline;
    }

    public FlagSpans flags() {
        return flags;
    }

    public long lastReceiveMicros() {
        return lastReceiveMicros;
    }

    public double groupDelaySeconds() {
        return resampler.groupDelaySeconds();
    }

    public boolean feeds(String source, String label) {
        return sourceId.equals(source) && inputLabel.equals(label);
    }

    /** Missing input samples before {@code position}. */
    public long gapBefore(long position) {
        return Math.max(0, position - resampler.nextInputIndex());
    }

    /** Fills up to {@code max} missing input samples before {@code position} with NaN and flags them GAP. */
    public void fillGap(long position, long max) {
        long next = resampler.nextInputIndex();
        long n = Math.min(max, position - next);
        if (n <= 0) {
            return;
        }
        flags.add(QualityFlag.GAP, resampler.firstOutputOf(next), resampler.lastOutputOf(next + n - 1));
        for (long i = 0; i < n; i++) {
            resampler.push(Float.NaN, timeline);
        }
    }

    /**
     * Appends samples starting at input {@code position} (any gap before it must have been filled). Samples that
     * overlap what is already in are skipped and flagged OUT_OF_ORDER; non-finite samples become NaN, flagged NAN.
     */
    public void append(float[] samples, long position, boolean clockJump, long receiveMicros) {
        long next = resampler.nextInputIndex();
        int skip = (int) Math.min(samples.length, Math.max(0, next - position));
        if (skip > 0) {
            flags.add(QualityFlag.OUT_OF_ORDER, resampler.firstOutputOf(next), resampler.firstOutputOf(next));
        }
        if (clockJump) {
            long at = resampler.firstOutputOf(position + skip);
            flags.add(QualityFlag.CLOCK_JUMP, at, at);
        }
        for (int i = skip; i < samples.length; i++) {
            float x = samples[i];
            if (!Float.isFinite(x)) {
                long p = position + i;
                flags.add(QualityFlag.NAN, resampler.firstOutputOf(p), resampler.lastOutputOf(p));
                x = Float.NaN;
            }
            resampler.push(x, timeline);
        }
        lastReceiveMicros = Math.max(lastReceiveMicros, receiveMicros);
    }

    /**
     * Writes the track's head to {@code out} and its timeline's new chunks to {@code writes}, into a ring of at least
     * {@code minSlots} slots under {@code key}.
     */
    public void write(DataOutput out, StateWrites writes, String key, int minSlots) throws IOException {
        out.writeUTF(sourceId);
        out.writeUTF(inputLabel);
        out.writeDouble(inputRateHz);
        out.writeLong(lastReceiveMicros);
        resampler.write(out);
        timeline.write(out, writes, key, minSlots);
        flags.write(out);
    }

    /** Deletes the stored chunks of this track (it is gone). */
    public void release(StateWrites writes, String key) {
        timeline.release(writes, key);
    }

    /** Reads a track written in {@code layout} (its chunks, if any, from {@code chunks} under {@code key}). */
    public static ChannelTrack read(DataInput in, StateLayout layout, ChunkReader chunks, String key) throws IOException {
        String source = in.readUTF();
        String label = in.readUTF();
        double rate = in.readDouble();
        long receive = in.readLong();
        Resampler r = Resampler.read(in);
        Timeline t = switch (layout) {
            case INLINE -> Timeline.readInline(in);
            case KEYED -> Timeline.readKeyed(in, chunks, key);
            case RING -> Timeline.read(in, chunks, key);
        };
        FlagSpans f = FlagSpans.read(in);
        return new ChannelTrack(source, label, rate, r, t, f, receive);
    }
}
