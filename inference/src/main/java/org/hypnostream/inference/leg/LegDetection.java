package org.hypnostream.inference.leg;

import java.util.List;

/**
 * What the detector found in one leg window: the movements whose offset became known (each exactly once) and the
 * technical status of each leg over the window's new samples. Statuses are null when the window brought no new
 * samples (a re-delivered or old window).
 */
public record LegDetection(List<org.hypnostream.common.event.LegMovementEvent> movements, LegChannelStatus left,
        LegChannelStatus right) {
    public LegDetection {
        movements = List.copyOf(movements);
    }
}
