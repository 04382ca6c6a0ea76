package org.hypnostream.common.wire;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@link SampleBlock} binary wire format, version 1 (docs/adr/0002-sample-block-wire-format.md).
 *
 * <pre>
 * "HSB" version(u8)=1 length(i32, whole frame)
 * bedId(str) sourceId(str) seq(i64) sessionStartMicros(i64) deviceTimeMicros(i64) receiveTimeMicros(i64)
 * sampleRateHz(f64) channelCount(u16) samplesPerChannel(i32)
 * channelCount x [ label(str) typeCode(u8) unit(str) ]
 * channelCount x samplesPerChannel x float32 (channel-major)
 * crc32c(i32) over everything before it
 * </pre>
 * Big-endian; str = u16 byte length + UTF-8.
 */
public final class SampleBlockCodec {
    static final byte[] MAGIC = {'H', 'S', 'B'};
    public static final int VERSION = 1;

    private SampleBlockCodec() {
    }

    public static byte[] encode(SampleBlock b) {
        int n = b.samplesPerChannel();
        FrameWriter w = new FrameWriter(MAGIC, VERSION, 128 + b.channels().size() * (40 + n * 4));
        w.str(b.bedId()).str(b.sourceId()).i64(b.seq()).i64(b.sessionStartMicros()).i64(b.deviceTimeMicros())
                .i64(b.receiveTimeMicros()).f64(b.sampleRateHz()).u16(b.channels().size()).i32(n);
        for (ChannelInfo c : b.channels()) {
            w.str(c.label()).u8(c.type().code()).str(c.unit());
        }
        for (float[] row : b.samples()) {
            w.floats(row);
        }
        return w.finish();
    }

    /** Decodes one frame; throws {@link BlockFormatException} naming the problem for any invalid input. */
    public static SampleBlock decode(byte[] bytes) {
        FrameReader r = FrameReader.open(bytes, MAGIC, VERSION, "SampleBlock");
        String bed = r.str("bed id", 256);
        String source = r.str("source id", 256);
        long seq = r.i64("seq");
        String where = "SampleBlock " + seq + " from " + source + " of bed " + bed;
        long session = r.i64("session start");
        long device = r.i64("device time");
        long receive = r.i64("receive time");
        double rate = r.f64("sample rate");
        int channelCount = r.u16("channel count");
        int n = r.i32("samples per channel");
        if (channelCount < 1 || channelCount > SampleBlock.MAX_CHANNELS) {
            throw new BlockFormatException(where + ": " + channelCount + " channels, expected 1-" + SampleBlock.MAX_CHANNELS);
        }
        if (n < 1 || n > SampleBlock.MAX_SAMPLES_PER_CHANNEL || (long) n * channelCount > SampleBlock.MAX_TOTAL_SAMPLES) {
            throw new BlockFormatException(where + ": " + n + " samples per channel x " + channelCount
                    + " channels is out of bounds (oversized block)");
        }
        List<ChannelInfo> channels = new ArrayList<>(channelCount);
        for (int c = 0; c < channelCount; c++) {
            String label = r.str("channel " + c + " label", ChannelInfo.MAX_LABEL_BYTES);
            int code = r.u8("channel " + c + " type");
            String unit = r.str("channel " + c + " unit", 16);
            try {
                channels.add(new ChannelInfo(label, ChannelType.fromCode(code), unit));
            } catch (IllegalArgumentException e) {
                throw new BlockFormatException(where + ": channel " + c + ": " + e.getMessage(), e);
            }
        }
        if (r.remaining() != (long) n * channelCount * 4) {
            throw new BlockFormatException(where + ": sample section has " + r.remaining() + " bytes, expected "
                    + ((long) n * channelCount * 4) + " (truncated block or wrong channel count)");
        }
        float[][] samples = new float[channelCount][];
        for (int c = 0; c < channelCount; c++) {
            samples[c] = r.floats(n, "samples of channel " + channels.get(c).label());
        }
        r.end();
        try {
            return new SampleBlock(bed, source, seq, session, device, receive, rate, channels, samples);
        } catch (IllegalArgumentException e) {
            throw new BlockFormatException(e.getMessage(), e);
        }
    }
}
