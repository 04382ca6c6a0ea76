package org.hypnostream.common.event;

import java.time.Instant;
import java.util.Objects;

/**
 * An alarm of one bed ({@code alerts.v1}); every state change is a new record with the same {@code alertId}.
 *
 * @param physiological true for a patient finding (e.g. PLMS index high), false for a technical alarm
 * @param code          stable machine code, e.g. PLMS_INDEX_HIGH, LEG_CHANNEL_FLAT, STREAM_STALLED, UNSCORED_PERSISTENT
 * @param actor         the named user of the last acknowledge/silence, null if none
 */
public record Alert(
        String alertId,
        String bedId,
        boolean physiological,
        String code,
        AlertPriority priority,
        AlertState state,
        String message,
        Instant raisedAt,
        Instant updatedAt,
        String actor,
        Instant silencedUntil) {

    public Alert {
        Objects.requireNonNull(alertId, "alertId");
        Objects.requireNonNull(bedId, "bedId");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(state, "state");
    }
}
