package org.hypnostream.common.event;

import java.time.Instant;
import java.util.Objects;

/** A named user's acknowledge or silence of an alert ({@code alert-actions.v1}, the audit trail). */
public record AlertAction(String alertId, String bedId, String action, String user, Instant at, long silenceSeconds, String comment) {
    public AlertAction {
        Objects.requireNonNull(alertId, "alertId");
        Objects.requireNonNull(bedId, "bedId");
        Objects.requireNonNull(user, "user");
        if (!action.equals("ACKNOWLEDGE") && !action.equals("SILENCE")) {
            throw new IllegalArgumentException("alert action must be ACKNOWLEDGE or SILENCE, not " + action);
        }
        if (user.isBlank()) {
            throw new IllegalArgumentException("alert action without a user name");
        }
        if (action.equals("SILENCE") && (silenceSeconds <= 0 || silenceSeconds > 24 * 3600)) {
            throw new IllegalArgumentException("silence period must be 1 s to 24 h, got " + silenceSeconds + " s");
        }
    }
}
