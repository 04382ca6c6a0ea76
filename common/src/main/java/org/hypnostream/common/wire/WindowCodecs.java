package org.hypnostream.common.wire;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Binary frames for the windows the stream processor emits ({@link Epoch} "HEP", {@link LegWindow} "HLW",
 * {@link EmgSegment} "HES"), version 1, same framing as {@link SampleBlockCodec}: magic, version, length, body,
 * CRC32C. Quality flags are a bit set by enum ordinal (append-only enum).
 */
public final class WindowCodecs {
    static final byte[] EPOCH_MAGIC = {'H', 'E', 'P'};
    static final byte[] LEG_MAGIC = {'H', 'L', 'W'};
    static final byte[] EMG_MAGIC = {'H', 'E', 'S'};
    public static final int VERSION = 1;
    /** Upper bound for samples per channel in any window frame (10 min at 1 kHz; needle EMG 1 s at 50 kHz). */
    public static final int MAX_WINDOW_SAMPLES = 600_000;

    private WindowCodecs() {
    }

    static int bits(Set<QualityFlag> flags) {
        int b = 0;
        for (QualityFlag f : flags) {
            b |= 1 << f.ordinal();
        }
        return b;
    }

    static Set<QualityFlag> flags(int bits) {
        EnumSet<QualityFlag> s = EnumSet.noneOf(QualityFlag.class);
        for (QualityFlag f : QualityFlag.values()) {
            if ((bits & (1 << f.ordinal())) != 0) {
                s.add(f);
            }
        }
        return s;
    }

    private static int boundedCount(FrameReader r, String field, int max) {
        int n = r.i32(field);
        if (n < 0 || n > max) {
            throw new BlockFormatException(r.what() + ": " + field + " " + n + " out of bounds (0-" + max + ")");
        }
        return n;
    }

    public static byte[] encodeEpoch(Epoch e) {
        int n = e.samples().length == 0 ? 0 : e.samples()[0].length;
        FrameWriter w = new FrameWriter(EPOCH_MAGIC, VERSION, 96 + e.samples().length * (24 + 4 * n));
        w.str(e.bedId()).i64(e.index()).i64(e.sessionStartMicros()).f64(e.sampleRateHz()).i32(bits(e.quality()))
                .i64(e.lastBlockReceiveMicros()).u16(e.channelLabels().size());
        for (int c = 0; c < e.samples().length; c++) {
            w.str(e.channelLabels().get(c)).i32(e.samples()[c].length).floats(e.samples()[c]);
        }
        return w.finish();
    }

    public static Epoch decodeEpoch(byte[] bytes) {
        FrameReader r = FrameReader.open(bytes, EPOCH_MAGIC, VERSION, "Epoch");
        String bed = r.str("bed id", 256);
        long index = r.i64("index");
        long session = r.i64("session start");
        double rate = r.f64("sample rate");
        Set<QualityFlag> q = flags(r.i32("quality"));
        long receive = r.i64("receive time");
        int channels = r.u16("channel count");
        if (channels > SampleBlock.MAX_CHANNELS) {
            throw new BlockFormatException("Epoch: " + channels + " channels");
        }
        List<String> labels = new ArrayList<>(channels);
        float[][] samples = new float[channels][];
        for (int c = 0; c < channels; c++) {
            labels.add(r.str("channel label", ChannelInfo.MAX_LABEL_BYTES));
            samples[c] = r.floats(boundedCount(r, "sample count", MAX_WINDOW_SAMPLES), "samples");
        }
        r.end();
        try {
            return new Epoch(bed, index, session, rate, labels, samples, q, receive);
        } catch (IllegalArgumentException e) {
            throw new BlockFormatException(e.getMessage(), e);
        }
    }

    public static byte[] encodeLegWindow(LegWindow l) {
        FrameWriter w = new FrameWriter(LEG_MAGIC, VERSION, 96 + 8 * LegWindow.SAMPLES + 16);
        w.str(l.bedId()).i64(l.index()).i64(l.sessionStartMicros()).f64(l.sampleRateHz()).i32(l.hopSamples())
                .i32(bits(l.leftQuality())).i32(bits(l.rightQuality())).i64(l.lastBlockReceiveMicros())
                .i32(l.left().length).floats(l.left()).i32(l.right().length).floats(l.right());
        return w.finish();
    }

    public static LegWindow decodeLegWindow(byte[] bytes) {
        FrameReader r = FrameReader.open(bytes, LEG_MAGIC, VERSION, "LegWindow");
        String bed = r.str("bed id", 256);
        long index = r.i64("index");
        long session = r.i64("session start");
        double rate = r.f64("sample rate");
        int hop = r.i32("hop");
        Set<QualityFlag> lq = flags(r.i32("left quality"));
        Set<QualityFlag> rq = flags(r.i32("right quality"));
        long receive = r.i64("receive time");
        float[] left = r.floats(boundedCount(r, "left count", LegWindow.SAMPLES), "left samples");
        float[] right = r.floats(boundedCount(r, "right count", LegWindow.SAMPLES), "right samples");
        r.end();
        try {
            return new LegWindow(bed, index, session, rate, hop, left, right, lq, rq, receive);
        } catch (IllegalArgumentException e) {
            throw new BlockFormatException(e.getMessage(), e);
        }
    }

    public static byte[] encodeEmgSegment(EmgSegment s) {
        FrameWriter w = new FrameWriter(EMG_MAGIC, VERSION, 128 + 4 * s.samples().length);
        w.str(s.bedId()).str(s.recordingId()).i64(s.index()).i64(s.startMicros()).f64(s.sampleRateHz())
                .i32(bits(s.quality())).u8(s.last() ? 1 : 0).i64(s.lastBlockReceiveMicros())
                .i32(s.samples().length).floats(s.samples());
        return w.finish();
    }

    public static EmgSegment decodeEmgSegment(byte[] bytes) {
        FrameReader r = FrameReader.open(bytes, EMG_MAGIC, VERSION, "EmgSegment");
        String bed = r.str("bed id", 256);
        String rec = r.str("recording id", 256);
        long index = r.i64("index");
        long start = r.i64("start");
        double rate = r.f64("sample rate");
        Set<QualityFlag> q = flags(r.i32("quality"));
        boolean last = r.u8("last") != 0;
        long receive = r.i64("receive time");
        float[] samples = r.floats(boundedCount(r, "sample count", MAX_WINDOW_SAMPLES), "samples");
        r.end();
        try {
            return new EmgSegment(bed, rec, index, start, rate, samples, q, last, receive);
        } catch (IllegalArgumentException e) {
            throw new BlockFormatException(e.getMessage(), e);
        }
    }
}
