package org.hypnostream.inference.emg;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hypnostream.common.event.NeuromuscularEvent;
import org.hypnostream.common.event.Provenance;
import org.hypnostream.common.time.Micros;
import org.hypnostream.common.wire.EmgSegment;
import org.hypnostream.common.wire.QualityFlag;

/**
 * Streaming screening of {@code emg-segments.v1}: each segment yields a {@code WINDOW} event (its probabilities) and
 * a {@code RECORDING} event (the running verdict, final on the recording's last segment). Kafka-free; the
 * inference service routes segments here and publishes the events to {@code neuromuscular-events.v1}. A segment
 * the model cannot score (wrong rate or length) throws {@link IllegalArgumentException} naming bed, recording and
 * segment, for the caller to dead-letter. Not thread-safe: one instance per stream task.
 */
public final class EmgSegmentScreening {
    public static final String KIND_WINDOW = "WINDOW";
    public static final String KIND_RECORDING = "RECORDING";
    /** Verdict of a recording that ended without any scored window. */
    public static final String UNSCORED = "UNSCORED";

    private final EmgScreeningModel model;
    private final InstantSource clock;
    private final Provenance provenance;
    private final Map<String, RecordingAggregator> open = new HashMap<>();

    public EmgSegmentScreening(EmgScreeningModel model, InstantSource clock) {
        this.model = model;
        this.clock = clock;
        this.provenance = Provenance.model(model.id(), model.sha256(), model.provider());
    }

    /**
     * Scores one segment; returns [WINDOW event, RECORDING event]. A recording's closing segment (see the stream
     * processor's EmgSegmenter: {@code last}, PARTIAL, padded with NaN) is not scored, as training never scores a tail
     * shorter than a window: it returns only the final RECORDING event ({@link #UNSCORED} with confidence 0 when the
     * recording had no scored window).
     *
     * @throws IllegalArgumentException naming bed, recording and segment when a segment that is not last cannot be
     *                                  scored (wrong rate or length, NaN / infinite samples)
     */
    public List<NeuromuscularEvent> onSegment(EmgSegment segment) {
        String where = "EMG segment " + segment.index() + " of recording " + segment.recordingId() + " from bed " + segment.bedId();
        String key = segment.bedId() + '\u0000' + segment.recordingId();
        String problem = unscorable(segment);
        if (problem != null) {
            if (!segment.last()) {
                throw new IllegalArgumentException(where + ": " + problem);
            }
            RecordingAggregator agg = open.remove(key);
            RecordingVerdict verdict = (agg == null ? new RecordingAggregator(segment.recordingId(), model.classes()) : agg).finish();
            return List.of(recordingEvent(segment, verdict, latencyMillis(segment)));
        }
        float[] probs = model.score(new float[][] {segment.samples()})[0];
        RecordingAggregator agg = open.computeIfAbsent(key, k -> new RecordingAggregator(segment.recordingId(), model.classes()));
        agg.add(probs);
        RecordingVerdict verdict = segment.last() ? agg.finish() : agg.current();
        if (segment.last()) {
            open.remove(key);
        }
        long latencyMillis = latencyMillis(segment);
        List<Double> windowProbs = new ArrayList<>();
        int best = 0;
        for (int i = 0; i < probs.length; i++) {
            windowProbs.add((double) probs[i]);
            best = probs[i] > probs[best] ? i : best;
        }
        return List.of(
                new NeuromuscularEvent(segment.bedId(), segment.recordingId(), KIND_WINDOW, segment.index(), verdict.windows(),
                        model.classes(), windowProbs, model.classes().get(best), probs[best], false, provenance,
                        clock.instant(), latencyMillis),
                recordingEvent(segment, verdict, latencyMillis));
    }

    private NeuromuscularEvent recordingEvent(EmgSegment segment, RecordingVerdict verdict, long latencyMillis) {
        List<Double> meanProbs = new ArrayList<>();
        for (double p : verdict.meanProbabilities()) {
            meanProbs.add(p);
        }
        boolean none = verdict.windows() == 0;
        return new NeuromuscularEvent(segment.bedId(), segment.recordingId(), KIND_RECORDING, segment.index(), verdict.windows(),
                model.classes(), meanProbs, none ? UNSCORED : verdict.verdict(), none ? 0.0 : verdict.confidence(),
                verdict.isFinal(), provenance, clock.instant(), latencyMillis);
    }

    private long latencyMillis(EmgSegment segment) {
        return Math.max(0, (Micros.now(clock) - segment.lastBlockReceiveMicros()) / 1000);
    }

    /** Why the model cannot score this segment, or null when it can. */
    private String unscorable(EmgSegment segment) {
        if (Math.abs(segment.sampleRateHz() - model.sampleRateHz()) > 1e-6 * model.sampleRateHz()) {
            return "rate " + segment.sampleRateHz() + " Hz, model " + model.id() + " needs " + model.sampleRateHz() + " Hz";
        }
        if (segment.samples().length != model.windowSamples()) {
            return segment.samples().length + " samples, model " + model.id() + " needs " + model.windowSamples();
        }
        if (segment.quality().contains(QualityFlag.PARTIAL)) {
            return "partial segment (recording ended or stalled)";
        }
        for (float x : segment.samples()) {
            if (!Float.isFinite(x)) {
                return "NaN or infinite samples (gap or bad source), " + segment.quality();
            }
        }
        return null;
    }

    /** Forgets the open recordings of a bed (its partition was revoked or is about to be rebuilt). */
    public void forgetBed(String bedId) {
        open.keySet().removeIf(k -> k.startsWith(bedId + '\u0000'));
    }

    /** Recordings with segments seen but no last segment yet. */
    public int openRecordings() {
        return open.size();
    }
}
