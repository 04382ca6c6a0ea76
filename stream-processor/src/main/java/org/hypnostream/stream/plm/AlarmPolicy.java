package org.hypnostream.stream.plm;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hypnostream.common.event.Alert;
import org.hypnostream.common.event.AlertAction;
import org.hypnostream.common.event.AlertPriority;
import org.hypnostream.common.event.AlertState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alarm latching, acknowledgement, silencing and the per-bed cap (plm-rules.md, "Alarming"; IEC 60601-1-8 style).
 *
 * <ul>
 *   <li>A condition that becomes true raises an ACTIVE alert (new alertId), unless the bed already raised
 *       {@code capPerHour} alerts in the last hour: then it is suppressed and counted (and logged).</li>
 *   <li>Physiological alerts latch: the condition ending does not clear them; an acknowledge by a named user
 *       clears an ended one (CLEARED) or marks a continuing one ACKNOWLEDGED, which clears when it ends.</li>
 *   <li>Technical alerts clear themselves when the condition ends.</li>
 *   <li>A silence (named user, 1 s-24 h) sets SILENCED until then; {@link #tick} returns it to ACTIVE afterwards
 *       (a technical alert whose condition ended meanwhile is CLEARED instead).</li>
 *   <li>ALARM_OFF / ALARM_ON change no alert state here: they switch the alarm signals, which the alarm escalation
 *       and the dashboard handle (ADR 0013).</li>
 *   <li>Every action is kept in the bed's audit trail, including actions on unknown or cleared alerts.</li>
 * </ul>
 */
public final class AlarmPolicy {
    private static final Logger LOG = LoggerFactory.getLogger(AlarmPolicy.class);
    static final int AUDIT_KEPT = 200;

    private final InstantSource clock;
    private final int capPerHour;

    public AlarmPolicy(InstantSource clock, int capPerHour) {
        this.clock = clock;
        if (capPerHour < 1) {
            throw new IllegalArgumentException("alarm cap per hour must be >= 1, got " + capPerHour);
        }
        this.capPerHour = capPerHour;
    }

    /**
     * Reports the current truth of one condition of a bed ({@code key} = code plus qualifier, e.g.
     * "LEG_CHANNEL_FLAT:LEFT"); returns the alert records to publish.
     */
    public List<Alert> update(BedAlarms s, String bedId, String key, String code, boolean physiological,
            AlertPriority priority, String message, boolean active) {
        Instant now = clock.instant();
        s.conditionActive.put(key, active);
        Alert a = s.byKey.get(key);
        List<Alert> out = new ArrayList<>();
        if (active) {
            if (a == null || a.state() == AlertState.CLEARED) {
                s.raisedAt.removeIf(t -> !t.isAfter(now.minus(Duration.ofHours(1))));
                if (s.raisedAt.size() >= capPerHour) {
                    s.suppressedByCap++;
                    LOG.warn("bed {}: alarm {} suppressed, {} alarms raised in the last hour (cap {})", bedId, key,
                            s.raisedAt.size(), capPerHour);
                    return out;
                }
                s.raisedAt.add(now);
                s.raiseSeq++;
                Alert n = new Alert(bedId + ":" + key + ":" + now.toEpochMilli() + ":" + s.raiseSeq, bedId, physiological, code, priority,
                        AlertState.ACTIVE, message, now, now, null, null);
                s.byKey.put(key, n);
                out.add(n);
            }
            return out;
        }
        if (a != null && a.state() != AlertState.CLEARED
                && (!a.physiological() || a.state() == AlertState.ACKNOWLEDGED)) {
            Alert c = with(a, AlertState.CLEARED, now, a.actor(), null);
            s.byKey.put(key, c);
            out.add(c);
        }
        return out;
    }

    /** Applies an acknowledge or silence; returns the changed alert, if any. */
    public List<Alert> apply(BedAlarms s, AlertAction action) {
        Instant now = clock.instant();
        s.audit.add(action);
        if (s.audit.size() > AUDIT_KEPT) {
            s.audit.subList(0, s.audit.size() - AUDIT_KEPT).clear();
        }
        String key = null;
        for (Map.Entry<String, Alert> e : s.byKey.entrySet()) {
            if (e.getValue().alertId().equals(action.alertId())) {
                key = e.getKey();
            }
        }
        Alert a = key == null ? null : s.byKey.get(key);
        if (a == null || a.state() == AlertState.CLEARED) {
            LOG.info("bed {}: {} by {} of alert {} that is unknown here or cleared; kept in the audit trail",
                    action.bedId(), action.action(), action.user(), action.alertId());
            return List.of();
        }
        if (action.action().equals(AlertAction.ALARM_OFF) || action.action().equals(AlertAction.ALARM_ON)) {
            // alarm off/on switches the alarm signals (reminders, escalation, sound), not the alert's state: the
            // alarm escalation and the dashboard act on it (ADR 0013); kept in the audit trail here
            return List.of();
        }
        boolean active = s.conditionActive.getOrDefault(key, false);
        Alert n;
        if (action.action().equals(AlertAction.ACKNOWLEDGE)) {
            n = with(a, active ? AlertState.ACKNOWLEDGED : AlertState.CLEARED, now, action.user(), null);
        } else {
            Instant from = action.at() != null ? action.at() : now;
            n = with(a, AlertState.SILENCED, now, action.user(), from.plusSeconds(action.silenceSeconds()));
        }
        s.byKey.put(key, n);
        return List.of(n);
    }

    /** Ends silences whose period is over; returns the changed alerts. */
    public List<Alert> tick(BedAlarms s) {
        Instant now = clock.instant();
        List<Alert> out = new ArrayList<>();
        for (Map.Entry<String, Alert> e : s.byKey.entrySet()) {
            Alert a = e.getValue();
            if (a.state() == AlertState.SILENCED && a.silencedUntil() != null && !now.isBefore(a.silencedUntil())) {
                boolean active = s.conditionActive.getOrDefault(e.getKey(), false);
                AlertState next = active || a.physiological() ? AlertState.ACTIVE : AlertState.CLEARED;
                Alert n = with(a, next, now, a.actor(), null);
                e.setValue(n);
                out.add(n);
            }
        }
        return out;
    }

    private static Alert with(Alert a, AlertState state, Instant now, String actor, Instant silencedUntil) {
        return new Alert(a.alertId(), a.bedId(), a.physiological(), a.code(), a.priority(), state, a.message(),
                a.raisedAt(), now, actor, silencedUntil);
    }
}
