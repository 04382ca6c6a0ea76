package org.hypnostream.stream.emg;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hypnostream.common.wire.ChannelInfo;
import org.hypnostream.common.wire.ChannelType;
import org.hypnostream.common.wire.EmgSegment;
import org.hypnostream.common.wire.SampleBlock;
import org.hypnostream.stream.SpineConfig;
import org.hypnostream.stream.signal.ChannelTrack;
import org.hypnostream.stream.signal.WindowCutter;

/**
 * Cuts needle-EMG channels (type EMG_NEEDLE) into {@link EmgSegment}s at the recording's own rate: segment k of a
 * recording covers its samples [first + k hop, first + k hop + length), where "first" is the recording's first
 * sample. The recording id is the source id (source id + "/" + label when a source has several needle channels).
 * Segments are never marked last here: a stream has no end in the topology. Kafka-free.
 */
public final class EmgSegmenter {
    private static final int STATE_VERSION = 1;
    private static final int MAX_RECORDINGS = 64;

    private final String bedId;
    private final long sessionStartMicros;
    private final SpineConfig config;
    private final Map<String, WindowCutter> recordings;

    public EmgSegmenter(String bedId, long sessionStartMicros, SpineConfig config) {
        this(bedId, sessionStartMicros, config, new LinkedHashMap<>());
    }

    private EmgSegmenter(String bedId, long sessionStartMicros, SpineConfig config, Map<String, WindowCutter> recordings) {
        this.bedId = bedId;
        this.sessionStartMicros = sessionStartMicros;
        this.config = config;
        this.recordings = recordings;
    }

    /** The segments this block completed, or null when it carries no needle-EMG channel (state unchanged). */
    public List<EmgSegment> accept(SampleBlock b, long position, boolean clockJump) {
        List<ChannelInfo> needles = b.channels().stream().filter(c -> c.type() == ChannelType.EMG_NEEDLE).toList();
        if (needles.isEmpty()) {
            return null;
        }
        List<EmgSegment> out = new ArrayList<>();
        for (ChannelInfo c : needles) {
            String id = needles.size() == 1 ? b.sourceId() : b.sourceId() + "/" + c.label();
            WindowCutter cutter = recordings.get(id);
            if (cutter == null) {
                if (recordings.size() >= MAX_RECORDINGS) {
                    throw new IllegalStateException("bed " + bedId + " has more than " + MAX_RECORDINGS + " EMG recordings");
                }
                cutter = new WindowCutter(1, config.emgSegmentSamples(), config.emgHopSamples(), position,
                        config.flatRangeMicrovolts());
                cutter.bind(0, new ChannelTrack(b.sourceId(), c.label(), b.sampleRateHz(), b.sampleRateHz(), position, position));
                recordings.put(id, cutter);
            }
            out.addAll(toSegments(id, cutter.feed(b, position, clockJump)));
        }
        return out;
    }

    /** Emits, per recording, every segment holding any sample (the incomplete ones marked PARTIAL). */
    public List<EmgSegment> flush() {
        List<EmgSegment> out = new ArrayList<>();
        recordings.forEach((id, cutter) -> out.addAll(toSegments(id, cutter.cut(true))));
        return out;
    }

    private List<EmgSegment> toSegments(String id, List<WindowCutter.Cut> cuts) {
        List<EmgSegment> out = new ArrayList<>(cuts.size());
        double rate = recordings.get(id).slot(0).inputRateHz();
        for (WindowCutter.Cut c : cuts) {
            long start = sessionStartMicros + Math.round(c.startSample() * 1e6 / rate);
            out.add(new EmgSegment(bedId, id, c.index(), start, rate, c.rows()[0], c.flags().get(0), false,
                    c.receiveMicros() == Long.MIN_VALUE ? 0 : c.receiveMicros()));
        }
        return out;
    }

    public byte[] toBytes() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(STATE_VERSION);
            out.writeInt(config.emgSegmentSamples());
            out.writeInt(config.emgHopSamples());
            out.writeInt(recordings.size());
            for (Map.Entry<String, WindowCutter> e : recordings.entrySet()) {
                out.writeUTF(e.getKey());
                e.getValue().write(out);
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Restores state; throws {@link IOException} when it is corrupt or was written under other settings. */
    public static EmgSegmenter fromBytes(String bedId, long sessionStartMicros, SpineConfig config, byte[] state)
            throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(state));
        int v = in.readByte();
        if (v != STATE_VERSION) {
            throw new IOException("EMG state version " + v);
        }
        if (in.readInt() != config.emgSegmentSamples() || in.readInt() != config.emgHopSamples()) {
            throw new IOException("EMG state was written for another segment length or hop");
        }
        int n = in.readInt();
        if (n < 0 || n > MAX_RECORDINGS) {
            throw new IOException("EMG state has " + n + " recordings");
        }
        Map<String, WindowCutter> m = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            m.put(in.readUTF(), WindowCutter.read(in, config.emgSegmentSamples(), config.emgHopSamples(),
                    config.flatRangeMicrovolts()));
        }
        return new EmgSegmenter(bedId, sessionStartMicros, config, m);
    }
}
