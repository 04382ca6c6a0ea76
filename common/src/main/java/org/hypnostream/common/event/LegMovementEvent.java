package org.hypnostream.common.event;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import org.hypnostream.common.wire.QualityFlag;

/**
 * One monolateral leg movement detected on one leg ({@code leg-events.v1}), emitted exactly once when its offset
 * is known. {@code movementId} is deterministic (bed, side, onset sample) so consumers can detect a re-emission.
 */
public record LegMovementEvent(
        String bedId,
        String movementId,
        LegSide side,
        Instant onset,
        Instant offset,
        double durationSeconds,
        double peakMicrovolts,
        Set<QualityFlag> quality,
        Provenance provenance,
        Instant producedAt,
        long latencyMillis) {

    public LegMovementEvent {
        Objects.requireNonNull(bedId, "bedId");
        Objects.requireNonNull(side, "side");
        Objects.requireNonNull(onset, "onset");
        Objects.requireNonNull(offset, "offset");
        quality = quality == null ? Set.of() : Set.copyOf(quality);
        if (offset.isBefore(onset)) {
            throw new IllegalArgumentException("leg movement " + movementId + " of bed " + bedId + " ends before it starts");
        }
    }
}
