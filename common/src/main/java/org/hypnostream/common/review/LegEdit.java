package org.hypnostream.common.review;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.hypnostream.common.event.LegSide;

/**
 * A monolateral leg movement as a review adds or deletes it (device clock).
 *
 * @param movementId the movement's id on {@code leg-events.v1}, or a review-made id for an added one
 */
public record LegEdit(String movementId, LegSide side, Instant onset, Instant offset) {
    /** Longest movement a reviewer may add (a longer "movement" is an artefact, not an LM). */
    public static final Duration MAX_DURATION = Duration.ofSeconds(60);

    public LegEdit {
        if (movementId == null || !ReviewEvent.ID.matcher(movementId).matches()) {
            throw new IllegalArgumentException("leg movementId must be 1-96 letters, digits, '.', '_', ':', '@', '+' or '-'");
        }
        Objects.requireNonNull(side, "leg movement without a side (LEFT or RIGHT)");
        Objects.requireNonNull(onset, "leg movement without an onset");
        Objects.requireNonNull(offset, "leg movement without an offset");
        if (side == LegSide.BILATERAL) {
            throw new IllegalArgumentException("a leg movement is LEFT or RIGHT (monolateral); the scorer merges legs");
        }
        if (!offset.isAfter(onset)) {
            throw new IllegalArgumentException("leg movement offset " + offset + " is not after its onset " + onset);
        }
        if (Duration.between(onset, offset).compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException("leg movement longer than " + MAX_DURATION.toSeconds() + " s");
        }
    }
}
