package org.hypnostream.stream.alarm;

import java.time.Instant;
import org.hypnostream.common.event.AlertPriority;

/**
 * One alert the escalation follows (part of {@link BedEscalations}, {@link EscalationStateCodec} in the state store). {@code code} is null
 * while only an action on the alert has been seen (the alert's own record comes on another topic, maybe later).
 *
 * @param since          when the escalation clock started: the alert's raise, or the ALARM_ON that re-enabled it
 * @param lastAnnounced  the raise or the last reminder
 * @param pausedUntil    AUDIO PAUSED until then, or null
 * @param acknowledgedBy who acknowledged it, or null
 * @param escalatedAt    when it was escalated, or null
 */
public record TrackedAlarm(String alertId, String code, AlertPriority priority, boolean physiological, Instant since,
        Instant lastAnnounced, int reminders, Instant pausedUntil, String acknowledgedBy, Instant escalatedAt,
        Instant firstSeen) {

    boolean known() {
        return code != null && priority != null && since != null;
    }

    boolean acknowledged() {
        return acknowledgedBy != null;
    }

    boolean pausedAt(Instant now) {
        return pausedUntil != null && now.isBefore(pausedUntil);
    }

    TrackedAlarm withAlert(String code, AlertPriority priority, boolean physiological, Instant since) {
        return new TrackedAlarm(alertId, code, priority, physiological, since, since, reminders, pausedUntil, acknowledgedBy,
                escalatedAt, firstSeen);
    }

    TrackedAlarm withPause(Instant until) {
        return new TrackedAlarm(alertId, code, priority, physiological, this.since, lastAnnounced, reminders, until,
                acknowledgedBy, escalatedAt, firstSeen);
    }

    TrackedAlarm withAck(String user) {
        return new TrackedAlarm(alertId, code, priority, physiological, since, lastAnnounced, reminders, pausedUntil, user,
                escalatedAt, firstSeen);
    }

    TrackedAlarm withReminder(Instant at) {
        return new TrackedAlarm(alertId, code, priority, physiological, since, at, reminders + 1, pausedUntil, acknowledgedBy,
                escalatedAt, firstSeen);
    }

    TrackedAlarm withEscalation(Instant at) {
        return new TrackedAlarm(alertId, code, priority, physiological, since, lastAnnounced, reminders, pausedUntil,
                acknowledgedBy, at, firstSeen);
    }

    /** ALARM_ON: the escalation clock and the reminders start again from {@code at}. */
    TrackedAlarm restartedAt(Instant at) {
        return new TrackedAlarm(alertId, code, priority, physiological, at, at, reminders, pausedUntil, acknowledgedBy,
                escalatedAt, firstSeen);
    }
}
