package org.hypnostream.stream.plm;

import java.util.Objects;
import org.hypnostream.common.event.LegSide;

/** A monolateral leg movement in UTC microseconds (offset exclusive), as it arrives on leg-events.v1. */
public record MonoLm(LegSide side, long onsetMicros, long offsetMicros) {
    public MonoLm {
        Objects.requireNonNull(side, "side");
        if (side == LegSide.BILATERAL) {
            throw new IllegalArgumentException("a monolateral leg movement must be LEFT or RIGHT");
        }
        if (offsetMicros < onsetMicros) {
            throw new IllegalArgumentException("leg movement ends before it starts");
        }
    }

    double durationSeconds() {
        return (offsetMicros - onsetMicros) / 1e6;
    }
}
