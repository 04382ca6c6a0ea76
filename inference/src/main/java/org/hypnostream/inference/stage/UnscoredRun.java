package org.hypnostream.inference.stage;

import java.time.Instant;

/**
 * A bed's current run of consecutive not-scored epochs (UNSCORED or predicted from prior epochs only) and its open
 * {@code UNSCORED_PERSISTENT} alert, if any. Immutable; {@link UnscoredRunPolicy} computes the next one.
 *
 * @param length        consecutive not-scored epochs up to the bed's last epoch (0 = the last epoch was scored)
 * @param startIndex    epoch index where the current (or, when {@code length} is 0, the last) run began
 * @param reason        the last not-scored epoch's reason, or null before the first one
 * @param activeAlertId the open alert's id, or null when none is open
 * @param alertRaisedAt when the open alert (or the last one) was raised, or null
 */
public record UnscoredRun(int length, long startIndex, String reason, String activeAlertId, Instant alertRaisedAt) {
    /** A bed that has never had a not-scored epoch. */
    public static final UnscoredRun NONE = new UnscoredRun(0, 0, null, null, null);

    public UnscoredRun {
        if (length < 0) {
            throw new IllegalArgumentException("not-scored run " + length + " < 0");
        }
    }

    /** Whether this bed has an open {@code UNSCORED_PERSISTENT} alert. */
    public boolean alerting() {
        return activeAlertId != null;
    }
}
