package org.hypnostream.dashboard.night;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Collection;
import org.hypnostream.common.event.AlarmNotice;
import org.hypnostream.common.event.Alert;
import org.hypnostream.common.event.AlertAction;
import org.hypnostream.common.event.AlertState;

/**
 * Where one alert stands (ADR 0013), derived from the bed's alerts, actions (alert-actions.v1) and notices
 * (alarm-notices.v1) in topic order, so a restarted dashboard shows the same.
 *
 * @param reminders        reminders so far
 * @param escalatedTo      the role it was escalated to, or null when not escalated
 * @param escalatedWard    the further ward it was escalated to, or null
 * @param escalatedAt      when, or null
 * @param acknowledgedBy   who acknowledged it (an action or the alert's own state), or null
 * @param audioPausedUntil the end of the last AUDIO PAUSED, or null
 * @param alarmOffBy       who turned the alarm of its condition (code) on this bed off, while it is off; else null
 * @param alarmOffAt       when
 */
public record AlarmStatus(int reminders, String escalatedTo, String escalatedWard, Instant escalatedAt, String acknowledgedBy,
        Instant audioPausedUntil, String alarmOffBy, Instant alarmOffAt) {

    static AlarmStatus of(Alert a, Collection<Alert> alerts, Collection<AlertAction> actions, Collection<AlarmNotice> notices) {
        int reminders = 0;
        AlarmNotice esc = null;
        for (AlarmNotice n : notices) {
            if (n.alertId().equals(a.alertId())) {
                if (n.kind().equals(AlarmNotice.REMINDER)) {
                    reminders++;
                } else if (n.kind().equals(AlarmNotice.ESCALATED) && esc == null) {
                    esc = n;
                }
            }
        }
        String ack = a.state() == AlertState.ACKNOWLEDGED ? a.actor() : null;
        Instant paused = a.state() == AlertState.SILENCED ? a.silencedUntil() : null;
        String offBy = null;
        Instant offAt = null;
        for (AlertAction x : actions) {
            if (x.alertId().equals(a.alertId()) && x.action().equals(AlertAction.ACKNOWLEDGE) && ack == null) {
                ack = x.user();
            } else if (x.alertId().equals(a.alertId()) && x.action().equals(AlertAction.AUDIO_PAUSED) && x.at() != null) {
                paused = x.at().plusSeconds(x.silenceSeconds());
            } else if (sameCondition(x.alertId(), a, alerts)) {
                if (x.action().equals(AlertAction.ALARM_OFF)) {
                    offBy = x.user();
                    offAt = x.at();
                } else if (x.action().equals(AlertAction.ALARM_ON)) {
                    offBy = null;
                    offAt = null;
                }
            }
        }
        return new AlarmStatus(reminders, esc == null ? null : esc.targetRole(), esc == null ? null : esc.targetWard(),
                esc == null ? null : esc.at(), ack, paused, offBy, offAt);
    }

    /** True when {@code alertId} names an alert of the same bed and condition code as {@code a} (alarm off is per condition). */
    private static boolean sameCondition(String alertId, Alert a, Collection<Alert> alerts) {
        for (Alert o : alerts) {
            if (o.alertId().equals(alertId)) {
                return o.code().equals(a.code());
            }
        }
        return false;
    }

    public boolean escalated() {
        return escalatedAt != null;
    }

    public boolean alarmOff() {
        return alarmOffBy != null;
    }

    public JsonObject toJson() {
        return new JsonObject().put("reminders", reminders).put("escalated", escalated()).put("escalatedTo", escalatedTo)
                .put("escalatedWard", escalatedWard).put("escalatedAt", str(escalatedAt)).put("acknowledgedBy", acknowledgedBy)
                .put("audioPausedUntil", str(audioPausedUntil)).put("alarmOff", alarmOff()).put("alarmOffBy", alarmOffBy)
                .put("alarmOffAt", str(alarmOffAt));
    }

    private static String str(Instant i) {
        return i == null ? null : i.toString();
    }
}
