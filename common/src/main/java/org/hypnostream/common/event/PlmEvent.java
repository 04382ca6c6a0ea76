package org.hypnostream.common.event;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A PLM update for one bed ({@code plm-events.v1}): the movement (bilateral-merged LM) that triggered it, the state
 * of the current series, and the running indices.
 *
 * @param kind           LM (a new candidate/non-candidate LM), SERIES (a series changed state), INDICES (periodic)
 * @param seriesState    CANDIDATE, PROVISIONAL, CONFIRMED or BROKEN; null when no series is open
 * @param imiHistogram   counts of inter-movement intervals in 10-s bins from 0 to 90 s, then > 90 s (10 bins)
 * @param respiratoryExclusion "unavailable" when no respiratory events exist for the bed, else "applied"
 */
public record PlmEvent(
        String bedId,
        String kind,
        String ruleSet,
        Instant at,
        Instant lmOnset,
        Instant lmOffset,
        String lmSide,
        boolean candidate,
        boolean inSleep,
        String seriesId,
        String seriesState,
        int seriesLength,
        long lmCount,
        long plmCount,
        long plmsCount,
        long plmwCount,
        double sleepHours,
        double wakeHours,
        double recordingHours,
        double lmIndex,
        double plmsIndex,
        double plmwIndex,
        double periodicityIndex,
        List<Long> imiHistogram,
        String respiratoryExclusion) {

    public PlmEvent {
        Objects.requireNonNull(bedId, "bedId");
        Objects.requireNonNull(kind, "kind");
        imiHistogram = imiHistogram == null ? List.of() : List.copyOf(imiHistogram);
    }
}
