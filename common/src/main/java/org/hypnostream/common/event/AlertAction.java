package org.hypnostream.common.event;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A named user's action on an alert ({@code alert-actions.v1}, the audit trail; ADR 0013). The IEC 60601-1-8 terms
 * are kept apart:
 * <ul>
 *   <li>{@link #ACKNOWLEDGE}: the user has seen it; reminders and escalation stop; the condition may persist.</li>
 *   <li>{@link #AUDIO_PAUSED} (wire name {@code SILENCE}, kept so that old records keep their meaning): the audible
 *       signal is paused for {@code silenceSeconds}; the alarm stays active and its escalation clock keeps running.</li>
 *   <li>{@link #ALARM_OFF}: an authorised role turns the alarm signals of the alert's condition on its bed off until
 *       {@link #ALARM_ON}; no reminders, no escalation; the alert stays visible, marked off.</li>
 * </ul>
 * Version tolerance: a reader of this record meets only these four actions; records written before ALARM_OFF and
 * ALARM_ON existed read unchanged.
 */
public record AlertAction(String alertId, String bedId, String action, String user, Instant at, long silenceSeconds, String comment) {
    public static final String ACKNOWLEDGE = "ACKNOWLEDGE";
    /** IEC 60601-1-8 AUDIO PAUSED; the wire keeps the old name. */
    public static final String AUDIO_PAUSED = "SILENCE";
    public static final String ALARM_OFF = "ALARM_OFF";
    public static final String ALARM_ON = "ALARM_ON";
    public static final Set<String> ACTIONS = Set.of(ACKNOWLEDGE, AUDIO_PAUSED, ALARM_OFF, ALARM_ON);

    public AlertAction {
        Objects.requireNonNull(alertId, "alertId");
        Objects.requireNonNull(bedId, "bedId");
        Objects.requireNonNull(user, "user");
        if (action == null || !ACTIONS.contains(action)) {
            throw new IllegalArgumentException("alert action must be ACKNOWLEDGE, SILENCE, ALARM_OFF or ALARM_ON, not " + action);
        }
        if (user.isBlank()) {
            throw new IllegalArgumentException("alert action without a user name");
        }
        if (action.equals(AUDIO_PAUSED) && (silenceSeconds <= 0 || silenceSeconds > 24 * 3600)) {
            throw new IllegalArgumentException("silence period must be 1 s to 24 h, got " + silenceSeconds + " s");
        }
    }
}
