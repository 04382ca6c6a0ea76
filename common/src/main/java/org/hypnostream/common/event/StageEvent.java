package org.hypnostream.common.event;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.hypnostream.common.wire.QualityFlag;

/**
 * The stage of one epoch of one bed ({@code stage-events.v1}).
 *
 * @param probabilities    W, N1, N2, N3, REM probabilities (sum 1), or empty when UNSCORED with no prior context
 * @param fromPriorOnly    true when the epoch's own data was unusable and the stage was predicted from prior epochs
 * @param unscoredReason   why the epoch is UNSCORED or predicted from prior epochs only; null for a normal score
 * @param latencyMillis    end of the epoch (device time) to event produced, wall clock
 * @param sourceReceiveMicros gateway journal time of the newest block of the epoch (end-to-end latency start)
 */
public record StageEvent(
        String bedId,
        long epochIndex,
        Instant epochStart,
        Instant epochEnd,
        Stage stage,
        List<Double> probabilities,
        boolean fromPriorOnly,
        String unscoredReason,
        Set<QualityFlag> quality,
        Provenance provenance,
        Instant producedAt,
        long latencyMillis,
        long sourceReceiveMicros) {

    public StageEvent {
        Objects.requireNonNull(bedId, "bedId");
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(provenance, "provenance");
        probabilities = probabilities == null ? List.of() : List.copyOf(probabilities);
        quality = quality == null ? Set.of() : Set.copyOf(quality);
        if (!probabilities.isEmpty() && probabilities.size() != Stage.SCORED.size()) {
            throw new IllegalArgumentException("stage event for bed " + bedId + " epoch " + epochIndex + ": "
                    + probabilities.size() + " probabilities, expected 5");
        }
        if (stage == Stage.UNSCORED && (unscoredReason == null || unscoredReason.isBlank())) {
            throw new IllegalArgumentException("UNSCORED stage event without a reason, bed " + bedId + " epoch " + epochIndex);
        }
    }
}
