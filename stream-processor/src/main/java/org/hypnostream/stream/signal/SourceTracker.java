package org.hypnostream.stream.signal;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.hypnostream.common.wire.ChannelInfo;
import org.hypnostream.common.wire.SampleBlock;

/**
 * The per-source policy of docs/adr/0004-gaps-duplicates-order.md: remembers the source's rate, channel set,
 * next expected sequence number and next input sample position, and decides where each block goes.
 */
public final class SourceTracker {
    private static final int MAX_SKIPPED = 32;

    private final String sourceId;
    private final double rateHz;
    private final List<String> channels;
    private long nextSeq;
    private long nextPosition;
    private int lastLength;
    private long expectedDeviceMicros;
    private final List<long[]> skipped = new ArrayList<>();

    private SourceTracker(String sourceId, double rateHz, List<String> channels) {
        this.sourceId = sourceId;
        this.rateHz = rateHz;
        this.channels = List.copyOf(channels);
    }

    static List<String> signature(SampleBlock b) {
        List<String> s = new ArrayList<>(b.channels().size());
        for (ChannelInfo c : b.channels()) {
            s.add(c.label() + "|" + c.type() + "|" + c.unit());
        }
        return s;
    }

    static String where(SampleBlock b) {
        return "block " + b.seq() + " from " + b.sourceId() + " of bed " + b.bedId();
    }

    /** Position of the first sample by device time, or a rejection when it lies before the session start. */
    public static Admission first(SampleBlock b) {
        long pos = Math.round((b.deviceTimeMicros() - b.sessionStartMicros()) * b.sampleRateHz() / 1e6);
        if (pos < 0) {
            return Admission.reject("device_time", where(b) + ": device time " + b.deviceTimeMicros()
                    + " us lies before the session start " + b.sessionStartMicros() + " us");
        }
        return Admission.accept(pos, false);
    }

    /** Starts tracking a source at its first accepted block. */
    public static SourceTracker start(SampleBlock b, long position) {
        SourceTracker t = new SourceTracker(b.sourceId(), b.sampleRateHz(), signature(b));
        t.advance(b, position);
        return t;
    }

    private void advance(SampleBlock b, long position) {
        nextSeq = b.seq() + 1;
        nextPosition = position + b.samplesPerChannel();
        lastLength = b.samplesPerChannel();
        expectedDeviceMicros = b.endDeviceTimeMicros();
    }

    /** Decides for a later block of this source; an ACCEPT advances the tracker. */
    public Admission admit(SampleBlock b, long clockToleranceMicros) {
        if (Double.compare(b.sampleRateHz(), rateHz) != 0) {
            return Admission.reject("rate", where(b) + ": sample rate " + b.sampleRateHz()
                    + " Hz differs from the source's established " + rateHz + " Hz");
        }
        List<String> sig = signature(b);
        if (!sig.equals(channels)) {
            return Admission.reject("channels", where(b) + ": channel set changed from " + channels + " to " + sig);
        }
        if (b.seq() < nextSeq) {
            for (long[] r : skipped) {
                if (b.seq() >= r[0] && b.seq() < r[1]) {
                    return Admission.reject("out_of_order", where(b) + ": arrived after block " + (nextSeq - 1)
                            + "; its time was already marked as a gap and emitted or being assembled without it");
                }
            }
            return Admission.duplicate(where(b) + ": duplicate, already applied");
        }
        long pos;
        boolean jump;
        if (b.seq() == nextSeq) {
            pos = nextPosition;
            jump = Math.abs(b.deviceTimeMicros() - expectedDeviceMicros) > clockToleranceMicros;
        } else {
            long missing = b.seq() - nextSeq;
            long bySeq = nextPosition + missing * lastLength;
            long byDevice = Math.round((b.deviceTimeMicros() - b.sessionStartMicros()) * rateHz / 1e6);
            long tolerance = Math.max(lastLength / 2, Math.round(clockToleranceMicros * rateHz / 1e6));
            if (byDevice >= nextPosition && Math.abs(byDevice - bySeq) <= tolerance) {
                pos = byDevice;
                jump = false;
            } else {
                pos = bySeq;
                jump = true;
            }
            if (skipped.size() == MAX_SKIPPED) {
                skipped.remove(0);
            }
            skipped.add(new long[] {nextSeq, b.seq()});
        }
        advance(b, pos);
        return Admission.accept(pos, jump);
    }

    public String sourceId() {
        return sourceId;
    }

    public double rateHz() {
        return rateHz;
    }

    public void write(DataOutput out) throws IOException {
        out.writeUTF(sourceId);
        out.writeDouble(rateHz);
        out.writeInt(channels.size());
        for (String c : channels) {
            out.writeUTF(c);
        }
        out.writeLong(nextSeq);
        out.writeLong(nextPosition);
        out.writeInt(lastLength);
        out.writeLong(expectedDeviceMicros);
        out.writeInt(skipped.size());
        for (long[] r : skipped) {
            out.writeLong(r[0]);
            out.writeLong(r[1]);
        }
    }

    public static SourceTracker read(DataInput in) throws IOException {
        String id = in.readUTF();
        double rate = in.readDouble();
        int n = in.readInt();
        if (n < 1 || n > SampleBlock.MAX_CHANNELS) {
            throw new IOException("source state has " + n + " channels");
        }
        List<String> ch = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ch.add(in.readUTF());
        }
        SourceTracker t = new SourceTracker(id, rate, ch);
        t.nextSeq = in.readLong();
        t.nextPosition = in.readLong();
        t.lastLength = in.readInt();
        t.expectedDeviceMicros = in.readLong();
        int k = in.readInt();
        if (k < 0 || k > MAX_SKIPPED) {
            throw new IOException("source state has " + k + " skipped ranges");
        }
        for (int i = 0; i < k; i++) {
            t.skipped.add(new long[] {in.readLong(), in.readLong()});
        }
        return t;
    }
}
