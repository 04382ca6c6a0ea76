package org.hypnostream.stream.emg;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hypnostream.common.wire.ChannelInfo;
import org.hypnostream.common.wire.ChannelType;
import org.hypnostream.common.wire.EmgSegment;
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
 * Cuts needle-EMG channels (type EMG_NEEDLE) into {@link EmgSegment}s at the recording's own rate: segment k of a
 * recording covers its samples [first + k hop, first + k hop + length), where "first" is the recording's first
 * sample. The recording id is the source id (source id + "/" + label when a source has several needle channels).
 *
 * <p>End of a recording: a sample stream has no end marker, so a recording is <em>closed</em> when no block of it
 * arrived for a while ({@link #closeIdle}, driven by the topology's wall-clock punctuator) or when the bed's session
 * ends ({@link #flush}). Closing emits one <em>closing segment</em> with {@code last = true}: the unfinished
 * segment (its missing samples NaN, flagged PARTIAL and GAP), or, when the recording ended exactly on a segment
 * boundary, an all-NaN segment at the next index flagged the same way. A closing segment is never scored; it makes
 * the recording's verdict final. A recording whose blocks resume after it was closed starts again at segment 0.
 * Kafka-free.
 */
public final class EmgSegmenter {
    /**
     * Version 4: chunks in a ring of slot keys (ADR 0026); version 3 (chunks under {@code #<chunk>} keys, ADR 0017)
     * and versions 1 and 2 (samples inline) are read and migrated.
     */
    public static final int STATE_VERSION = 4;
    private static final int MAX_RECORDINGS = 64;

    private final String bedId;
    private final long sessionStartMicros;
    private final SpineConfig config;
    private final Map<String, WindowCutter> recordings;
    /** Per recording: processor wall-clock time (µs) when its last block was accepted. */
    private final Map<String, Long> activity;
    /** Closed recordings whose stored chunks the next save deletes. */
    private final List<Map.Entry<String, WindowCutter>> closed = new ArrayList<>();

    public EmgSegmenter(String bedId, long sessionStartMicros, SpineConfig config) {
        this(bedId, sessionStartMicros, config, new LinkedHashMap<>(), new LinkedHashMap<>());
    }

    private EmgSegmenter(String bedId, long sessionStartMicros, SpineConfig config, Map<String, WindowCutter> recordings,
            Map<String, Long> activity) {
        this.bedId = bedId;
        this.sessionStartMicros = sessionStartMicros;
        this.config = config;
        this.recordings = recordings;
        this.activity = activity;
    }

    /** As {@link #accept(SampleBlock, long, boolean, long)} with the block's receive time as the processing time. */
    public List<EmgSegment> accept(SampleBlock b, long position, boolean clockJump) {
        return accept(b, position, clockJump, b.receiveTimeMicros());
    }

    /**
     * The segments this block completed, or null when it carries no needle-EMG channel (state unchanged).
     *
     * @param nowMicros the processor's wall-clock time, remembered per recording for {@link #closeIdle}
     */
    public List<EmgSegment> accept(SampleBlock b, long position, boolean clockJump, long nowMicros) {
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
            activity.put(id, nowMicros);
            out.addAll(toSegments(id, cutter.feed(b, position, clockJump)));
        }
        return out;
    }

    /** Closes every recording (end of the session): its remaining segments, the final one {@code last}. */
    public List<EmgSegment> flush() {
        List<EmgSegment> out = new ArrayList<>();
        for (String id : List.copyOf(recordings.keySet())) {
            out.addAll(close(id));
        }
        return out;
    }

    /**
     * Closes the recordings with no block accepted during the last {@code idleMicros} before {@code nowMicros}
     * (processor wall clock); returns their remaining segments, each recording's final one {@code last}.
     */
    public List<EmgSegment> closeIdle(long nowMicros, long idleMicros) {
        List<EmgSegment> out = new ArrayList<>();
        for (String id : List.copyOf(recordings.keySet())) {
            if (nowMicros - activity.getOrDefault(id, Long.MIN_VALUE / 2) >= idleMicros) {
                out.addAll(close(id));
            }
        }
        return out;
    }

    /** Recordings open (segments emitted or pending, not closed yet). */
    public int openRecordings() {
        return recordings.size();
    }

    private List<EmgSegment> close(String id) {
        WindowCutter cutter = recordings.get(id);
        List<EmgSegment> out = new ArrayList<>(toSegments(id, cutter.cut(true)));
        if (out.isEmpty()) {
            double rate = cutter.slot(0).inputRateHz();
            float[] nan = new float[config.emgSegmentSamples()];
            Arrays.fill(nan, Float.NaN);
            long receive = cutter.slot(0).lastReceiveMicros();
            out.add(new EmgSegment(bedId, id, cutter.nextIndex(),
                    sessionStartMicros + Math.round(cutter.nextWindowStart() * 1e6 / rate), rate, nan,
                    EnumSet.of(QualityFlag.GAP, QualityFlag.PARTIAL), true, receive == Long.MIN_VALUE ? 0 : receive));
        } else {
            EmgSegment e = out.remove(out.size() - 1);
            out.add(new EmgSegment(e.bedId(), e.recordingId(), e.index(), e.startMicros(), e.sampleRateHz(), e.samples(),
                    e.quality(), true, e.lastBlockReceiveMicros()));
        }
        recordings.remove(id);
        activity.remove(id);
        closed.add(Map.entry(id, cutter));
        return out;
    }

    private List<EmgSegment> toSegments(String id, List<WindowCutter.Cut> cuts) {
        List<EmgSegment> out = new ArrayList<>(cuts.size());
        double rate = recordings.get(id).slot(0).inputRateHz();
        for (WindowCutter.Cut c : cuts) {
            long start = sessionStartMicros + Math.round(c.startSample() * 1e6 / rate);
            out.add(new EmgSegment(bedId, id, c.index(), start, rate, c.rows()[0], c.flags().get(0), false,
                    c.lastBlockReceiveMicros()));
        }
        return out;
    }

    private static String recordingKey(String key, String id) {
        return key + id + "/";
    }

    /**
     * The state's head; each open recording's sample chunks go to {@code writes} under {@code key} + recording id
     * + "/" + slot, and the chunks of recordings closed since the last save are deleted.
     */
    public byte[] toBytes(StateWrites writes, String key) {
        List<Map.Entry<String, WindowCutter>> gone = List.copyOf(closed);
        for (Map.Entry<String, WindowCutter> e : gone) {
            e.getValue().release(writes, recordingKey(key, e.getKey()));
        }
        writes.onApplied(() -> closed.removeAll(gone));
        return StateBytes.of(out -> {
            out.writeByte(STATE_VERSION);
            out.writeInt(config.emgSegmentSamples());
            out.writeInt(config.emgHopSamples());
            out.writeInt(recordings.size());
            for (Map.Entry<String, WindowCutter> e : recordings.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeLong(activity.getOrDefault(e.getKey(), 0L));
                e.getValue().write(out, writes, recordingKey(key, e.getKey()));
            }
        });
    }

    /** Deletes the stored chunks of every recording, open or closed (the segmenter is replaced). */
    public void release(StateWrites writes, String key) {
        for (Map.Entry<String, WindowCutter> e : closed) {
            e.getValue().release(writes, recordingKey(key, e.getKey()));
        }
        for (Map.Entry<String, WindowCutter> e : recordings.entrySet()) {
            e.getValue().release(writes, recordingKey(key, e.getKey()));
        }
    }

    /** Open recordings in a stored state, read from its header only (no chunks needed). */
    public static int openRecordings(byte[] state) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(state));
        int v = in.readByte();
        if (v < 1 || v > STATE_VERSION) {
            throw new IOException("EMG state version " + v);
        }
        in.readInt();
        in.readInt();
        return in.readInt();
    }

    /**
     * Restores state (version 4 or 3 with its chunks from {@code chunks}, or version 1 or 2 with samples inline); throws
     * {@link IOException} when it is corrupt, misses a chunk or was written under other settings.
     */
    public static EmgSegmenter fromBytes(String bedId, long sessionStartMicros, SpineConfig config, byte[] state,
            ChunkReader chunks, String key) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(state));
        int v = in.readByte();
        if (v < 1 || v > STATE_VERSION) {
            throw new IOException("EMG state version " + v + " (this build reads 1 to " + STATE_VERSION + ")");
        }
        if (in.readInt() != config.emgSegmentSamples() || in.readInt() != config.emgHopSamples()) {
            throw new IOException("EMG state was written for another segment length or hop");
        }
        int n = in.readInt();
        if (n < 0 || n > MAX_RECORDINGS) {
            throw new IOException("EMG state has " + n + " recordings");
        }
        Map<String, WindowCutter> m = new LinkedHashMap<>();
        Map<String, Long> act = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String id = in.readUTF();
            act.put(id, v == 1 ? 0L : in.readLong()); // version 1 had no activity time: idle since ever
            m.put(id, WindowCutter.read(in, config.emgSegmentSamples(), config.emgHopSamples(),
                    config.flatRangeMicrovolts(),
                    v < 3 ? StateLayout.INLINE : v == 3 ? StateLayout.KEYED : StateLayout.RING, chunks, recordingKey(key, id)));
        }
        return new EmgSegmenter(bedId, sessionStartMicros, config, m, act);
    }
}
