package org.hypnostream.stream.alarm;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.hypnostream.common.event.AlarmNotice;
import org.hypnostream.common.event.Alert;
import org.hypnostream.common.event.AlertAction;
import org.hypnostream.common.event.AlertState;

/**
 * Reminders and escalation of unacknowledged alarms (ADR 0013); pure, Kafka-free, clock injected.
 *
 * <ul>
 *   <li>An alert not CLEARED is followed from its raise ({@code raisedAt}, or now when that lies in the future).</li>
 *   <li>Unacknowledged and not AUDIO PAUSED: a REMINDER every {@code reminderEvery} since the raise or the last
 *       reminder (at most one per check, so that a long outage does not flood the ward).</li>
 *   <li>Unacknowledged {@code escalateAfter(priority)} after the raise: ESCALATED, once, to the configured role (and
 *       ward). AUDIO PAUSED does not stop this clock: a pause is not an acknowledgement.</li>
 *   <li>ACKNOWLEDGED (an action, or the alert's own state): no more reminders, no escalation.</li>
 *   <li>ALARM OFF for the alert's condition (code) on its bed: no reminders, no escalation until ALARM ON, which
 *       restarts the alert's clocks.</li>
 *   <li>CLEARED: forgotten.</li>
 * </ul>
 * Every decision is an {@link AlarmNotice} stamped with the clock's time and {@link #ACTOR}.
 */
public final class AlarmEscalation {
    /** The {@code by} of every notice. */
    public static final String ACTOR = "system:alarm-escalation";
    /** An action whose alert never showed up is forgotten after this long. */
    static final Duration ORPHAN_TTL = Duration.ofHours(1);

    private final EscalationConfig cfg;
    private final InstantSource clock;

    public AlarmEscalation(EscalationConfig cfg, InstantSource clock) {
        this.cfg = cfg;
        this.clock = clock;
    }

    /** Follows an alert's new state. */
    public void onAlert(BedEscalations s, Alert a) {
        Instant now = clock.instant();
        if (a.state() == AlertState.CLEARED) {
            s.alerts.remove(a.alertId());
            return;
        }
        TrackedAlarm t = s.alerts.get(a.alertId());
        if (t == null) {
            t = new TrackedAlarm(a.alertId(), null, null, false, null, null, 0, null, null, null, now);
        }
        if (!t.known()) {
            Instant raised = a.raisedAt() == null || a.raisedAt().isAfter(now) ? now : a.raisedAt();
            t = t.withAlert(a.code(), a.priority(), a.physiological(), raised);
        }
        if (a.state() == AlertState.ACKNOWLEDGED && !t.acknowledged()) {
            t = t.withAck(a.actor() == null ? "unknown" : a.actor());
        } else if (a.state() == AlertState.SILENCED && a.silencedUntil() != null) {
            t = t.withPause(a.silencedUntil());
        }
        s.alerts.put(a.alertId(), t);
    }

    /** Applies a user's action (the alert's own record may come before or after it). */
    public void onAction(BedEscalations s, AlertAction act) {
        Instant now = clock.instant();
        Instant at = act.at() == null ? now : act.at();
        TrackedAlarm t = s.alerts.get(act.alertId());
        if (t == null) {
            t = new TrackedAlarm(act.alertId(), null, null, false, null, null, 0, null, null, null, now);
        }
        switch (act.action()) {
            case AlertAction.ACKNOWLEDGE -> t = t.acknowledged() ? t : t.withAck(act.user());
            case AlertAction.AUDIO_PAUSED -> t = t.withPause(at.plusSeconds(act.silenceSeconds()));
            case AlertAction.ALARM_OFF -> {
                if (t.code() != null) {
                    s.alarmOff.put(t.code(), act.user() + " at " + at);
                }
            }
            case AlertAction.ALARM_ON -> {
                if (t.code() != null && s.alarmOff.remove(t.code()) != null) {
                    for (Map.Entry<String, TrackedAlarm> e : s.alerts.entrySet()) {
                        if (t.code().equals(e.getValue().code())) {
                            e.setValue(e.getValue().restartedAt(now));
                        }
                    }
                    t = s.alerts.get(act.alertId());
                }
            }
            default -> throw new IllegalArgumentException("unknown alert action " + act.action());
        }
        s.alerts.put(act.alertId(), t);
    }

    /** The reminders and escalations due now; updates {@code s}. */
    public List<AlarmNotice> tick(BedEscalations s, String bedId) {
        Instant now = clock.instant();
        List<AlarmNotice> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, TrackedAlarm>> it = s.alerts.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, TrackedAlarm> e = it.next();
            TrackedAlarm t = e.getValue();
            if (!t.known()) {
                if (t.firstSeen() != null && !now.isBefore(t.firstSeen().plus(ORPHAN_TTL))) {
                    it.remove();
                }
                continue;
            }
            if (t.acknowledged() || s.alarmOff.containsKey(t.code())) {
                continue;
            }
            Duration after = cfg.escalateAfter(t.physiological(), t.priority());
            if (t.escalatedAt() == null && !after.isZero() && !now.isBefore(t.since().plus(after))) {
                t = t.withEscalation(now);
                String ward = cfg.targetWard().isEmpty() ? null : cfg.targetWard();
                out.add(notice(bedId, t, AlarmNotice.ESCALATED, 1, cfg.targetRole(t.physiological()), ward, now,
                        "unacknowledged " + after.toMinutes() + " min after it was raised"));
            }
            Duration every = cfg.reminderEvery();
            if (!every.isZero() && !t.pausedAt(now) && !now.isBefore(t.lastAnnounced().plus(every))) {
                t = t.withReminder(now);
                out.add(notice(bedId, t, AlarmNotice.REMINDER, t.reminders(),
                        t.escalatedAt() == null ? null : cfg.targetRole(t.physiological()),
                        t.escalatedAt() == null || cfg.targetWard().isEmpty() ? null : cfg.targetWard(), now,
                        "still unacknowledged (reminder " + t.reminders() + ")"));
            }
            e.setValue(t);
        }
        return out;
    }

    private static AlarmNotice notice(String bedId, TrackedAlarm t, String kind, int n, String role, String ward, Instant now,
            String reason) {
        return new AlarmNotice(t.alertId() + ":" + kind + ":" + n, t.alertId(), bedId, t.code(), t.priority(), t.physiological(),
                kind, n, role, ward, now, ACTOR, reason);
    }
}
