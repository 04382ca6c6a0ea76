package org.hypnostream.stream.alarm;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import org.hypnostream.common.config.ConfigReader;
import org.hypnostream.common.event.AlertPriority;

/**
 * When an unacknowledged alarm is re-announced and escalated, and to whom (ADR 0013). A zero duration = never.
 *
 * @param reminderEvery          re-announce an unacknowledged, not audio-paused alarm this often
 * @param escalateHigh           escalate a HIGH physiological alarm unacknowledged this long after it was raised
 * @param escalateMedium         the same for MEDIUM (e.g. a medium PLM finding)
 * @param escalateLow            the same for LOW
 * @param escalateTechnical      the same for a technical alarm of any priority
 * @param physiologicalTarget    the role a physiological alarm escalates to
 * @param technicalTarget        the role a technical alarm escalates to
 * @param targetWard             a further ward whose users see escalated alarms, or "" for none
 * @param punctuateSeconds       wall-clock period of the reminder / escalation check
 */
public record EscalationConfig(Duration reminderEvery, Duration escalateHigh, Duration escalateMedium, Duration escalateLow,
        Duration escalateTechnical, String physiologicalTarget, String technicalTarget, String targetWard,
        int punctuateSeconds) {
    static final Set<String> ROLES = Set.of("nurse", "technologist", "physician", "admin");

    public EscalationConfig {
        for (Duration d : new Duration[] {reminderEvery, escalateHigh, escalateMedium, escalateLow, escalateTechnical}) {
            Objects.requireNonNull(d, "duration");
            if (d.isNegative()) {
                throw new IllegalArgumentException("alarm escalation: negative duration " + d);
            }
        }
        if (!ROLES.contains(physiologicalTarget) || !ROLES.contains(technicalTarget)) {
            throw new IllegalArgumentException("alarm escalation target must be one of " + ROLES + ", got "
                    + physiologicalTarget + " / " + technicalTarget);
        }
        Objects.requireNonNull(targetWard, "targetWard");
        if (punctuateSeconds < 1) {
            throw new IllegalArgumentException("alarm escalation check period must be >= 1 s, got " + punctuateSeconds);
        }
    }

    /** Reminders every 2 min; HIGH escalates after 5 min, MEDIUM (a medium PLM finding) after 10, LOW never; technical after 5. */
    public static EscalationConfig defaults() {
        return new EscalationConfig(Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ZERO,
                Duration.ofMinutes(5), "physician", "technologist", "", 5);
    }

    /** How long an alarm of this kind may stay unacknowledged before it escalates; zero = never. */
    public Duration escalateAfter(boolean physiological, AlertPriority priority) {
        if (!physiological) {
            return escalateTechnical;
        }
        return switch (priority) {
            case HIGH -> escalateHigh;
            case MEDIUM -> escalateMedium;
            case LOW -> escalateLow;
        };
    }

    public String targetRole(boolean physiological) {
        return physiological ? physiologicalTarget : technicalTarget;
    }

    /** Reads the {@code alarm.*} keys; call {@code r.validate()} afterwards. */
    public static EscalationConfig fromEnvironment(ConfigReader r) {
        EscalationConfig d = defaults();
        long remind = r.longInRange("alarm.reminder-seconds", d.reminderEvery().toSeconds(), 0, 24 * 3600,
                "re-announce an unacknowledged alarm this often, seconds (0 = never)");
        long high = r.longInRange("alarm.escalate.high-seconds", d.escalateHigh().toSeconds(), 0, 24 * 3600,
                "escalate a HIGH physiological alarm unacknowledged this long, seconds (0 = never)");
        long medium = r.longInRange("alarm.escalate.medium-seconds", d.escalateMedium().toSeconds(), 0, 24 * 3600,
                "escalate a MEDIUM physiological alarm (e.g. a medium PLM finding) unacknowledged this long, seconds (0 = never)");
        long low = r.longInRange("alarm.escalate.low-seconds", d.escalateLow().toSeconds(), 0, 24 * 3600,
                "escalate a LOW physiological alarm unacknowledged this long, seconds (0 = never)");
        long technical = r.longInRange("alarm.escalate.technical-seconds", d.escalateTechnical().toSeconds(), 0, 24 * 3600,
                "escalate a technical alarm unacknowledged this long, seconds (0 = never)");
        String physRole = r.oneOf("alarm.escalate.physiological-role", d.physiologicalTarget(), ROLES,
                "role a physiological alarm escalates to");
        String techRole = r.oneOf("alarm.escalate.technical-role", d.technicalTarget(), ROLES,
                "role a technical alarm escalates to");
        String ward = r.string("alarm.escalate.ward", d.targetWard(),
                "a further ward whose users also see escalated alarms (empty = none)");
        int punct = r.intInRange("alarm.punctuate-seconds", d.punctuateSeconds(), 1, 600,
                "wall-clock period of the reminder and escalation check, seconds");
        return new EscalationConfig(Duration.ofSeconds(remind), Duration.ofSeconds(high), Duration.ofSeconds(medium),
                Duration.ofSeconds(low), Duration.ofSeconds(technical), physRole, techRole, ward.strip(), punct);
    }
}
