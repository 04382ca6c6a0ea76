package org.hypnostream.stream.alarm;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.hypnostream.common.event.AlertPriority;
import org.hypnostream.common.event.JsonCodec;
import org.hypnostream.common.topic.CodecSerde;
import org.hypnostream.stream.state.ValueReader;
import org.hypnostream.stream.state.ValueWriter;

/**
 * The value of the alarm escalation's store ({@code alarm-escalation-state}: {@link BedEscalations}), ADR 0031: byte 0
 * the format version ({@link #VERSION}), byte 1 the kind 'E', then the followed alerts and the alarms switched off, in
 * the order written here. JSON values (what main wrote before ADR 0031, first byte '{') are still read; anything else
 * malformed is refused with an {@link IllegalArgumentException} saying what and where. Maps are read back as the
 * JSON mapper gave them (a {@code LinkedHashMap} in the written order), so the reminder order is unchanged.
 */
public final class EscalationStateCodec {
    public static final int VERSION = 1;
    static final int KIND = 'E';

    private EscalationStateCodec() {
    }

    public static Serde<BedEscalations> serde() {
        return new CodecSerde<>(EscalationStateCodec::encode, EscalationStateCodec::decode);
    }

    public static byte[] encode(BedEscalations s) {
        ValueWriter w = new ValueWriter(64 + 96 * s.alerts.size());
        w.u8(VERSION).u8(KIND).count(s.alerts.size());
        for (Map.Entry<String, TrackedAlarm> e : s.alerts.entrySet()) {
            TrackedAlarm t = e.getValue();
            w.string(e.getKey()).string(t.alertId()).string(t.code()).string(t.priority() == null ? null : t.priority().name())
                    .bool(t.physiological()).instant(t.since()).instant(t.lastAnnounced()).varLong(t.reminders())
                    .instant(t.pausedUntil()).string(t.acknowledgedBy()).instant(t.escalatedAt()).instant(t.firstSeen());
        }
        w.count(s.alarmOff.size());
        s.alarmOff.forEach((code, by) -> w.string(code).string(by));
        return w.toBytes();
    }

    public static BedEscalations decode(byte[] bytes) {
        if (ValueReader.isJson(bytes)) {
            return JsonCodec.fromBytes(bytes, BedEscalations.class);
        }
        ValueReader r = ValueReader.open("alarm-escalation-state value", bytes, VERSION, KIND);
        BedEscalations s = new BedEscalations();
        int n = r.count(12);
        s.alerts = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String key = r.text("alert key");
            String alertId = r.string();
            String code = r.string();
            String priority = r.string();
            boolean physiological = r.bool();
            Instant since = r.instant();
            Instant lastAnnounced = r.instant();
            int reminders = r.intValue();
            Instant pausedUntil = r.instant();
            String acknowledgedBy = r.string();
            Instant escalatedAt = r.instant();
            Instant firstSeen = r.instant();
            AlertPriority p;
            try {
                p = priority == null ? null : AlertPriority.valueOf(priority);
            } catch (IllegalArgumentException e) {
                throw r.bad("alert " + i + ": priority " + priority);
            }
            s.alerts.put(key, new TrackedAlarm(alertId, code, p, physiological, since, lastAnnounced, reminders, pausedUntil,
                    acknowledgedBy, escalatedAt, firstSeen));
        }
        n = r.count(2);
        s.alarmOff = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            s.alarmOff.put(r.text("alarm-off code"), r.string());
        }
        r.end();
        return s;
    }
}
