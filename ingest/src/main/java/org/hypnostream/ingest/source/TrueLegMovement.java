package org.hypnostream.ingest.source;

import java.util.Objects;
import org.hypnostream.common.event.LegSide;

/**
 * A leg movement the synthetic amplifier put into its leg EMG (ground truth).
 *
 * @param onsetSeconds   seconds after the session start
 * @param offsetSeconds  seconds after the session start, after {@code onsetSeconds}
 * @param periodicSeries true when the movement is a member of a periodic series (IMI 20-40 s)
 */
public record TrueLegMovement(double onsetSeconds, double offsetSeconds, LegSide side, boolean periodicSeries) {
    public TrueLegMovement {
        Objects.requireNonNull(side, "side");
        if (!(offsetSeconds > onsetSeconds) || onsetSeconds < 0) {
            throw new IllegalArgumentException("leg movement needs 0 <= onset < offset, got " + onsetSeconds + ".." + offsetSeconds);
        }
    }

    public double durationSeconds() {
        return offsetSeconds - onsetSeconds;
    }
}
