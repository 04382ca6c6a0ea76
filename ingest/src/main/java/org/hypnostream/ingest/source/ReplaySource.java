package org.hypnostream.ingest.source;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hypnostream.common.time.Micros;
import org.hypnostream.common.wire.ChannelInfo;
import org.hypnostream.common.wire.ChannelType;
import org.hypnostream.common.wire.SampleBlock;
import org.hypnostream.ingest.edf.EdfFile;
import org.hypnostream.ingest.edf.EdfSignal;
import org.hypnostream.ingest.wfdb.WfdbRecord;
import org.hypnostream.ingest.wfdb.WfdbSignal;

/**
 * Plays a recording (EDF/EDF+ or WFDB) as a live amplifier: one source id per sample rate, blocks of about one
 * second that never cross a discontinuity (EDF+D), device times = session start + the sample's offset in the file.
 * Pacing is applied by the gateway. Samples are converted to µV.
 */
public final class ReplaySource implements AmplifierSource {
    /** Channels below this rate (e.g. 1 Hz summary channels) are not replayed by default. */
    public static final double MIN_DEFAULT_RATE_HZ = 50.0;

    private final String bedId;
    private final List<Group> groups;
    private final long sessionStartMicros;

    private ReplaySource(String bedId, List<Group> groups, long sessionStartMicros) {
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("bed " + bedId + ": no channel to replay");
        }
        this.bedId = bedId;
        this.groups = groups;
        this.sessionStartMicros = sessionStartMicros;
    }

    /** The EDF header's start time, read as UTC. */
    public static Instant startOf(EdfFile f) {
        return f.startTime().toInstant(ZoneOffset.UTC);
    }

    /** Replays the default channels: electrophysiology (EEG, EOG, EMG, ECG) at >= 50 Hz. */
    public static ReplaySource of(String bedId, EdfFile f, Instant sessionStart) {
        return of(bedId, f, sessionStart, List.of());
    }

    /** Replays the channels with these labels (all default channels when {@code labels} is empty). */
    public static ReplaySource of(String bedId, EdfFile f, Instant sessionStart, List<String> labels) {
        Map<Double, List<EdfSignal>> byRate = new LinkedHashMap<>();
        for (EdfSignal s : f.signals()) {
            boolean chosen = labels.isEmpty()
                    ? ChannelTypes.isElectrophysiology(ChannelTypes.byLabel(s.label())) && s.sampleRateHz() >= MIN_DEFAULT_RATE_HZ
                            && s.isVoltage()
                    : labels.contains(s.label());
            if (chosen) {
                byRate.computeIfAbsent(s.sampleRateHz(), r -> new ArrayList<>()).add(s);
            }
        }
        for (String l : labels) {
            if (f.signal(l) == null) {
                throw new IllegalArgumentException("bed " + bedId + ": the EDF file has no signal labelled '" + l + "'");
            }
        }
        List<Group> groups = new ArrayList<>();
        for (Map.Entry<Double, List<EdfSignal>> e : byRate.entrySet()) {
            List<EdfSignal> sigs = e.getValue();
            List<ChannelInfo> infos = new ArrayList<>();
            float[][] data = new float[sigs.size()][];
            for (int c = 0; c < sigs.size(); c++) {
                EdfSignal s = sigs.get(c);
                infos.add(new ChannelInfo(s.label(), ChannelTypes.byLabel(s.label()), s.isVoltage() ? "uV" : unit(s.physicalDimension())));
                data[c] = toFloat(s.microvolts());
            }
            int spr = sigs.get(0).samplesPerRecord();
            List<long[]> segments = new ArrayList<>(); // {first sample, count, onset micros}
            double[] onsets = f.recordOnsetsSeconds();
            for (int r = 0; r < f.recordCount(); r++) {
                boolean continues = r > 0 && Math.abs(onsets[r] - (onsets[r - 1] + f.recordDurationSeconds())) < 1e-6;
                if (continues) {
                    segments.get(segments.size() - 1)[1] += spr;
                } else {
                    segments.add(new long[] {(long) r * spr, spr, Math.round(onsets[r] * 1e6)});
                }
            }
            groups.add(new Group(bedId + "/" + rateName(e.getKey()), e.getKey(), infos, data, segments));
        }
        return new ReplaySource(bedId, groups, Micros.of(sessionStart));
    }

    /** Replays every signal of a WFDB record as needle EMG (the N2001 records are single needle-EMG channels). */
    public static ReplaySource of(String bedId, WfdbRecord r, Instant sessionStart) {
        List<ChannelInfo> infos = new ArrayList<>();
        float[][] data = new float[r.signals().size()][];
        for (int c = 0; c < r.signals().size(); c++) {
            WfdbSignal s = r.signals().get(c);
            String label = s.description().isBlank() ? r.name() + (r.signals().size() > 1 ? "-" + c : "") : s.description();
            double f = EdfSignal.toMicrovoltsFactor(s.units());
            ChannelType t = ChannelTypes.byLabel(label);
            infos.add(new ChannelInfo(label, t == ChannelType.OTHER ? ChannelType.EMG_NEEDLE : t, Double.isNaN(f) ? unit(s.units()) : "uV"));
            float[] x = s.physical().clone();
            if (!Double.isNaN(f) && f != 1.0) {
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) (x[i] * f);
                }
            }
            data[c] = x;
        }
        List<long[]> segments = List.<long[]>of(new long[] {0, r.samplesPerSignal(), 0});
        Group g = new Group(bedId + "/" + rateName(r.samplingFrequencyHz()), r.samplingFrequencyHz(), infos, data, new ArrayList<>(segments));
        return new ReplaySource(bedId, List.of(g), Micros.of(sessionStart));
    }

    static String rateName(double hz) {
        return (hz == Math.rint(hz) ? Long.toString((long) hz) : Double.toString(hz)) + "hz";
    }

    private static String unit(String u) {
        String t = u == null || u.isBlank() ? "1" : u.trim();
        return t.length() > 16 ? t.substring(0, 16) : t;
    }

    private static float[] toFloat(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            f[i] = (float) x[i];
        }
        return f;
    }

    @Override
    public String bedId() {
        return bedId;
    }

    /** The source ids this replay emits, one per sample rate. */
    public List<String> sourceIds() {
        List<String> ids = new ArrayList<>();
        for (Group g : groups) {
            ids.add(g.sourceId);
        }
        return ids;
    }

    @Override
    public Optional<SampleBlock> next() {
        Group best = null;
        long bestTime = Long.MAX_VALUE;
        for (Group g : groups) {
            long t = g.nextOffsetMicros();
            if (t < bestTime) {
                bestTime = t;
                best = g;
            }
        }
        return best == null ? Optional.empty() : Optional.of(best.take(bedId, sessionStartMicros));
    }

    /** The channels of one sample rate and where the next block starts. */
    private static final class Group {
        final String sourceId;
        final double rate;
        final List<ChannelInfo> channels;
        final float[][] data;
        final List<long[]> segments;
        int segment;
        long blockInSegment;
        long seq;

        Group(String sourceId, double rate, List<ChannelInfo> channels, float[][] data, List<long[]> segments) {
            this.sourceId = sourceId.length() > 64 ? sourceId.substring(0, 64) : sourceId;
            this.rate = rate;
            this.channels = List.copyOf(channels);
            this.data = data;
            this.segments = segments;
        }

        private long boundary(long k, long length) {
            return Math.min(length, Math.round(k * rate));
        }

        long nextOffsetMicros() {
            if (segment >= segments.size()) {
                return Long.MAX_VALUE;
            }
            long[] s = segments.get(segment);
            return s[2] + Math.round(boundary(blockInSegment, s[1]) * 1e6 / rate);
        }

        SampleBlock take(String bedId, long sessionStartMicros) {
            long[] s = segments.get(segment);
            long from = boundary(blockInSegment, s[1]);
            long to = boundary(blockInSegment + 1, s[1]);
            long device = sessionStartMicros + s[2] + Math.round(from * 1e6 / rate);
            int n = (int) (to - from);
            float[][] samples = new float[data.length][];
            for (int c = 0; c < data.length; c++) {
                samples[c] = java.util.Arrays.copyOfRange(data[c], (int) (s[0] + from), (int) (s[0] + to));
            }
            blockInSegment++;
            if (to >= s[1]) {
                segment++;
                blockInSegment = 0;
            }
            return new SampleBlock(bedId, sourceId, seq++, sessionStartMicros, device, 0L, rate, channels, samples);
        }
    }

    @Override
    public String toString() {
        return "ReplaySource[bed=" + bedId + ", sources=" + sourceIds() + "]";
    }
}
