package org.hypnostream.stream.alarm;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.hypnostream.common.event.Alert;
import org.hypnostream.common.event.AlertAction;
import org.hypnostream.common.event.AlertPriority;
import org.hypnostream.common.event.AlertState;
import org.hypnostream.common.topic.Topic;
import org.hypnostream.common.topic.Topics;

/**
 * A deterministic stream of two beds' alerts and actions as the alarm escalation's input, in wall-clock order: a
 * new alert every 10 minutes per bed (a PLM finding, a flat leg channel or a stalled stream), acknowledged, audio
 * paused then cleared, or left alone, and the alarm of some codes switched off and on again. The input of the
 * escalation state-format upgrade test.
 */
final class SyntheticEscalations {
    static final Instant T0 = Instant.parse("2026-03-01T23:00:00Z");

    /** One input record: topic, key, value bytes, wall-clock time of processing. */
    record In(String topic, String key, byte[] value, Instant wallClock) {
    }

    private SyntheticEscalations() {
    }

    static List<In> records(int alertsPerBed) {
        List<In> out = new ArrayList<>();
        for (String bed : List.of("bed-1", "bed-2")) {
            long shift = bed.equals("bed-1") ? 0 : 37;
            for (int k = 0; k < alertsPerBed; k++) {
                Instant t = T0.plusSeconds(600L * k + shift);
                String id = bed + ":alert:" + k;
                String code = k % 3 == 0 ? "PLMS_INDEX_HIGH" : k % 3 == 1 ? "LEG_CHANNEL_FLAT" : "STREAM_STALLED";
                boolean physiological = k % 3 == 0;
                AlertPriority p = k % 3 == 1 ? AlertPriority.LOW : AlertPriority.MEDIUM;
                Alert a = new Alert(id, bed, physiological, code, p, AlertState.ACTIVE, "condition " + code, t, t, null, null);
                add(out, Topics.ALERTS, bed, a, t);
                switch (k % 4) {
                    case 0 -> {
                        Instant at = t.plus(Duration.ofMinutes(3));
                        add(out, Topics.ALERT_ACTIONS, bed, new AlertAction(id, bed, AlertAction.ACKNOWLEDGE, "nurse.jones", at, 0,
                                null), at);
                        add(out, Topics.ALERTS, bed, new Alert(id, bed, physiological, code, p, AlertState.ACKNOWLEDGED,
                                "condition " + code, t, at, "nurse.jones", null), at.plusSeconds(1));
                    }
                    case 1 -> {
                        Instant at = t.plus(Duration.ofMinutes(1));
                        add(out, Topics.ALERT_ACTIONS, bed, new AlertAction(id, bed, AlertAction.AUDIO_PAUSED, "nurse.smith", at,
                                120, "paused"), at);
                        Instant cleared = t.plus(Duration.ofMinutes(8));
                        add(out, Topics.ALERTS, bed, new Alert(id, bed, physiological, code, p, AlertState.CLEARED,
                                "condition " + code, t, cleared, null, null), cleared);
                    }
                    case 2 -> {
                        Instant off = t.plus(Duration.ofMinutes(2));
                        add(out, Topics.ALERT_ACTIONS, bed, new AlertAction(id, bed, AlertAction.ALARM_OFF, "dr.who", off, 0,
                                "known artefact"), off);
                        Instant on = t.plus(Duration.ofMinutes(6));
                        add(out, Topics.ALERT_ACTIONS, bed, new AlertAction(id, bed, AlertAction.ALARM_ON, "dr.who", on, 0,
                                null), on);
                    }
                    default -> { } // left alone: reminders, then escalation
                }
            }
        }
        out.sort(Comparator.comparing(In::wallClock));
        return out;
    }

    private static <T> void add(List<In> out, Topic<String, T> t, String bed, T value, Instant wall) {
        out.add(new In(t.name(), bed, t.valueSerde().serializer().serialize(t.name(), value), wall));
    }
}
