package org.hypnostream.stream.alarm;

import java.util.Map;
import java.util.TreeMap;

/**
 * The escalation state of one bed (state store {@code alarm-escalation-state}, {@link EscalationStateCodec},
 * changelogged; every field must be in the codec): the alerts not yet cleared, by alert id, and the conditions whose
 * alarm is off (code -> "user at time").
 */
public final class BedEscalations {
    public Map<String, TrackedAlarm> alerts = new TreeMap<>();
    public Map<String, String> alarmOff = new TreeMap<>();

    boolean isEmpty() {
        return alerts.isEmpty() && alarmOff.isEmpty();
    }
}
