package org.hypnostream.common.event;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Needle-EMG screening result ({@code neuromuscular-events.v1}): one per window ({@code kind = WINDOW}) and a
 * running per-recording verdict ({@code kind = RECORDING}, {@code isFinal} once the recording ended).
 *
 * @param classes       class names in the order of {@code probabilities} (e.g. ALS, MYOPATHY, NORMAL)
 * @param verdict       the most probable class
 */
public record NeuromuscularEvent(
        String bedId,
        String recordingId,
        String kind,
        long windowIndex,
        long windowsSoFar,
        List<String> classes,
        List<Double> probabilities,
        String verdict,
        double confidence,
        boolean isFinal,
        Provenance provenance,
        Instant producedAt,
        long latencyMillis) {

    public NeuromuscularEvent {
        Objects.requireNonNull(recordingId, "recordingId");
        Objects.requireNonNull(kind, "kind");
        classes = List.copyOf(classes);
        probabilities = List.copyOf(probabilities);
        if (classes.size() != probabilities.size()) {
            throw new IllegalArgumentException("neuromuscular event for " + recordingId + ": classes and probabilities differ in length");
        }
    }
}
