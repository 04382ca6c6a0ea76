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

    private final EmgScreeningModel model;
    private final InstantSource clock;
    private final Provenance provenance;
    private final Map<String, RecordingAggregator> open = new HashMap<>();

    public EmgSegmentScreening(EmgScreeningModel model, InstantSource clock) {
        this.model = model;
        this.clock = clock;
        this.provenance = Provenance.model(model.id(), model.sha256(), model.provider());
    }

    /** Scores one segment; returns [WINDOW event, RECORDING event]. */
    public List<NeuromuscularEvent> onSegment(EmgSegment segment) {
        String where = "EMG segment " + segment.index() + " of recording " + segment.recordingId() + " from bed " + segment.bedId();
        if (Math.abs(segment.sampleRateHz() - model.sampleRateHz()) > 1e-6 * model.sampleRateHz()) {
            throw new IllegalArgumentException(where + ": rate " + segment.sampleRateHz() + " Hz, model " + model.id()
                    + " needs " + model.sampleRateHz() + " Hz");
        }
        if (segment.samples().length != model.windowSamples()) {
            throw new IllegalArgumentException(where + ": " + segment.samples().length + " samples, model " + model.id()
                    + " needs " + model.windowSamples());
        }
        float[] probs = model.score(new float[][] {segment.samples()})[0];
        String key = segment.bedId() + '\u0000' + segment.recordingId();
        RecordingAggregator agg = open.computeIfAbsent(key, k -> new RecordingAggregator(segment.recordingId(), model.classes()));
        agg.add(probs);
        RecordingVerdict verdict = segment.last() ? agg.finish() : agg.current();
        if (segment.last()) {
            open.remove(key);
        }
        long latencyMillis = Math.max(0, (Micros.now(clock) - segment.lastBlockReceiveMicros()) / 1000);
        List<Double> windowProbs = new ArrayList<>();
        int best = 0;
        for (int i = 0; i < probs.length; i++) {
            windowProbs.add((double) probs[i]);
            best = probs[i] > probs[best] ? i : best;
        }
        List<Double> meanProbs = new ArrayList<>();
        for (double p : verdict.meanProbabilities()) {
            meanProbs.add(p);
        }
        return List.of(
                new NeuromuscularEvent(segment.bedId(), segment.recordingId(), KIND_WINDOW, segment.index(), verdict.windows(),
                        model.classes(), windowProbs, model.classes().get(best), probs[best], false, provenance,
                        clock.instant(), latencyMillis),
                new NeuromuscularEvent(segment.bedId(), segment.recordingId(), KIND_RECORDING, segment.index(), verdict.windows(),
                        model.classes(), meanProbs, verdict.verdict(), verdict.confidence(), verdict.isFinal(), provenance,
                        clock.instant(), latencyMillis));
    }

    /** Recordings with segments seen but no last segment yet. */
    public int openRecordings() {
        return open.size();
    }
}
