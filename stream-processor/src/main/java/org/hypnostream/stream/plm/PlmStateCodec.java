package org.hypnostream.stream.plm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serde;
import org.hypnostream.common.event.Alert;
import org.hypnostream.common.event.AlertAction;
import org.hypnostream.common.event.AlertPriority;
import org.hypnostream.common.event.AlertState;
import org.hypnostream.common.event.JsonCodec;
import org.hypnostream.common.event.LegSide;
import org.hypnostream.common.topic.CodecSerde;
import org.hypnostream.stream.state.ValueReader;
import org.hypnostream.stream.state.ValueWriter;

/**
 * The values of the PLM topology's stores ({@code plm-bed-state}: {@link BedPlmState}, {@code plm-alarm-state}:
 * {@link BedAlarms}), ADR 0031: a compact binary format, byte 0 the format version ({@link #VERSION}), byte 1 the
 * value's kind ('P' or 'A'), then every field in the order written here. Values main wrote before ADR 0031 are
 * JSON (first byte '{') and are still read; the next save of the bed writes the binary format. Anything else (an
 * unknown version or kind, a truncated or over-long value, a bad field) is refused with an
 * {@link IllegalArgumentException} that says what and where, never misread: the record that met it is dead-lettered,
 * as for any bad state before.
 *
 * <p>Maps are read back into what the JSON mapper gave main's code (a {@code LinkedHashMap} in the written order for
 * fields declared as {@code Map}, a {@code TreeMap} for those declared as one), so the processing order, and so the
 * output, is the same under either format.
 */
public final class PlmStateCodec {
    /** The binary format's version, the first byte of every value. */
    public static final int VERSION = 1;
    static final int KIND_BED = 'P';
    static final int KIND_ALARMS = 'A';

    private PlmStateCodec() {
    }

    public static Serde<BedPlmState> bedSerde() {
        return new CodecSerde<>(PlmStateCodec::encode, PlmStateCodec::decodeBed);
    }

    public static Serde<BedAlarms> alarmsSerde() {
        return new CodecSerde<>(PlmStateCodec::encode, PlmStateCodec::decodeAlarms);
    }

    public static byte[] encode(BedPlmState s) {
        ValueWriter w = new ValueWriter(256 + s.night.length() + 4 * (s.plmsOnsets.size() + s.plmwOnsets.size()));
        w.u8(VERSION).u8(KIND_BED);
        w.string(s.ruleSet);
        w.count(s.pending.size());
        for (MonoLm m : s.pending) {
            w.u8(m.side() == LegSide.LEFT ? 0 : 1).varLong(m.onsetMicros()).varLong(m.offsetMicros() - m.onsetMicros());
        }
        w.count(s.awaiting.size());
        for (Lm lm : s.awaiting) {
            w.varLong(lm.onsetMicros()).varLong(lm.offsetMicros() - lm.onsetMicros()).string(lm.side())
                    .varLong(lm.members()).bool(lm.candidate()).string(lm.reason());
        }
        w.varLong(s.lastOffsetLeft).varLong(s.lastOffsetRight).varLong(s.streamTimeMicros).varLong(s.recordingStartMicros)
                .nullableLong(s.sessionStartMicros).varLong(s.epochMicros).varLong(s.maxEpochSeen);
        w.count(s.stages.size());
        long prev = 0;
        for (Map.Entry<Long, String> e : s.stages.entrySet()) {
            w.varLong(e.getKey() - prev).string(e.getValue());
            prev = e.getKey();
        }
        w.varLong(s.sleepEpochs).varLong(s.wakeEpochs).deltas(s.rollingSleepEpochs).deltas(s.rollingPlmsEpochs);
        w.varLong(s.lmCount).varLong(s.clmCount).varLong(s.plmCount).varLong(s.plmsCount).varLong(s.plmwCount);
        w.count(s.imiHistogram.size());
        s.imiHistogram.forEach(w::varLong);
        PlmSeriesTracker t = s.tracker;
        w.string(t.seriesId).string(t.state).deltas(t.memberOnsets).count(t.memberStages.size());
        t.memberStages.forEach(w::string);
        w.varLong(t.length);
        w.count(s.longWakeRuns.size());
        prev = 0;
        for (Map.Entry<Long, Long> e : s.longWakeRuns.entrySet()) {
            w.varLong(e.getKey() - prev).varLong(e.getValue() - e.getKey());
            prev = e.getKey();
        }
        w.varLong(s.wakeRunStart).string(s.studyId).string(s.population).nullableLong(s.lightsOffMicros)
                .nullableLong(s.lightsOnMicros).string(s.night).deltas(s.plmsOnsets).deltas(s.plmwOnsets)
                .varLong(s.droppedShort).varLong(s.lateEvents).varLong(s.unstagedLms);
        return w.toBytes();
    }

    public static BedPlmState decodeBed(byte[] bytes) {
        if (ValueReader.isJson(bytes)) {
            return JsonCodec.fromBytes(bytes, BedPlmState.class);
        }
        ValueReader r = ValueReader.open("plm-bed-state value", bytes, VERSION, KIND_BED);
        BedPlmState s = new BedPlmState();
        s.ruleSet = r.string();
        int n = r.count(3);
        for (int i = 0; i < n; i++) {
            int side = r.u8();
            if (side > 1) {
                throw r.bad("leg side " + side);
            }
            long onset = r.varLong();
            s.pending.add(new MonoLm(side == 0 ? LegSide.LEFT : LegSide.RIGHT, onset, onset + r.varLong()));
        }
        n = r.count(6);
        for (int i = 0; i < n; i++) {
            long onset = r.varLong();
            s.awaiting.add(new Lm(onset, onset + r.varLong(), r.string(), r.intValue(), r.bool(), r.string()));
        }
        s.lastOffsetLeft = r.varLong();
        s.lastOffsetRight = r.varLong();
        s.streamTimeMicros = r.varLong();
        s.recordingStartMicros = r.varLong();
        s.sessionStartMicros = r.nullableLong();
        s.epochMicros = r.varLong();
        s.maxEpochSeen = r.varLong();
        n = r.count(2);
        long prev = 0;
        for (int i = 0; i < n; i++) {
            prev += r.varLong();
            s.stages.put(prev, r.string());
        }
        s.sleepEpochs = r.varLong();
        s.wakeEpochs = r.varLong();
        s.rollingSleepEpochs = r.deltas();
        s.rollingPlmsEpochs = r.deltas();
        s.lmCount = r.varLong();
        s.clmCount = r.varLong();
        s.plmCount = r.varLong();
        s.plmsCount = r.varLong();
        s.plmwCount = r.varLong();
        n = r.count(1);
        s.imiHistogram = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            s.imiHistogram.add(r.varLong());
        }
        PlmSeriesTracker t = new PlmSeriesTracker();
        t.seriesId = r.string();
        t.state = r.string();
        t.memberOnsets = r.deltas();
        n = r.count(1);
        t.memberStages = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            t.memberStages.add(r.string());
        }
        t.length = r.intValue();
        s.tracker = t;
        n = r.count(2);
        s.longWakeRuns = new TreeMap<>();
        prev = 0;
        for (int i = 0; i < n; i++) {
            prev += r.varLong();
            s.longWakeRuns.put(prev, prev + r.varLong());
        }
        s.wakeRunStart = r.varLong();
        s.studyId = r.string();
        s.population = r.string();
        s.lightsOffMicros = r.nullableLong();
        s.lightsOnMicros = r.nullableLong();
        s.night = r.text("night");
        s.plmsOnsets = r.deltas();
        s.plmwOnsets = r.deltas();
        s.droppedShort = r.varLong();
        s.lateEvents = r.varLong();
        s.unstagedLms = r.varLong();
        r.end();
        return s;
    }

    public static byte[] encode(BedAlarms a) {
        ValueWriter w = new ValueWriter(256 + 160 * a.byKey.size() + 80 * a.audit.size());
        w.u8(VERSION).u8(KIND_ALARMS);
        w.count(a.byKey.size());
        for (Map.Entry<String, Alert> e : a.byKey.entrySet()) {
            w.string(e.getKey());
            alert(w, e.getValue());
        }
        w.count(a.conditionActive.size());
        for (Map.Entry<String, Boolean> e : a.conditionActive.entrySet()) {
            w.string(e.getKey()).bool(e.getValue());
        }
        w.count(a.raisedAt.size());
        a.raisedAt.forEach(w::instant);
        w.count(a.audit.size());
        for (AlertAction x : a.audit) {
            w.string(x.alertId()).string(x.bedId()).string(x.action()).string(x.user()).instant(x.at())
                    .varLong(x.silenceSeconds()).string(x.comment());
        }
        w.varLong(a.suppressedByCap).varLong(a.raiseSeq).varLong(a.lastDataMicros);
        return w.toBytes();
    }

    public static BedAlarms decodeAlarms(byte[] bytes) {
        if (ValueReader.isJson(bytes)) {
            return JsonCodec.fromBytes(bytes, BedAlarms.class);
        }
        ValueReader r = ValueReader.open("plm-alarm-state value", bytes, VERSION, KIND_ALARMS);
        BedAlarms a = new BedAlarms();
        int n = r.count(10);
        a.byKey = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            a.byKey.put(r.text("alert key"), alert(r));
        }
        n = r.count(3);
        a.conditionActive = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            a.conditionActive.put(r.text("condition key"), r.bool());
        }
        n = r.count(1);
        a.raisedAt = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            a.raisedAt.add(r.instant());
        }
        n = r.count(7);
        a.audit = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String alertId = r.string();
            String bedId = r.string();
            String action = r.string();
            String user = r.string();
            java.time.Instant at = r.instant();
            long silenceSeconds = r.varLong();
            String comment = r.string();
            try {
                a.audit.add(new AlertAction(alertId, bedId, action, user, at, silenceSeconds, comment));
            } catch (NullPointerException | IllegalArgumentException e) {
                throw r.bad("audit entry " + i + ": " + e.getMessage());
            }
        }
        a.suppressedByCap = r.varLong();
        a.raiseSeq = r.varLong();
        a.lastDataMicros = r.varLong();
        r.end();
        return a;
    }

    private static void alert(ValueWriter w, Alert a) {
        w.string(a.alertId()).string(a.bedId()).bool(a.physiological()).string(a.code()).string(a.priority().name())
                .string(a.state().name()).string(a.message()).instant(a.raisedAt()).instant(a.updatedAt())
                .string(a.actor()).instant(a.silencedUntil());
    }

    private static Alert alert(ValueReader r) {
        String alertId = r.string();
        String bedId = r.string();
        boolean physiological = r.bool();
        String code = r.string();
        String priority = r.text("priority");
        String state = r.text("alert state");
        String message = r.string();
        java.time.Instant raisedAt = r.instant();
        java.time.Instant updatedAt = r.instant();
        String actor = r.string();
        java.time.Instant silencedUntil = r.instant();
        try {
            return new Alert(alertId, bedId, physiological, code, AlertPriority.valueOf(priority), AlertState.valueOf(state),
                    message, raisedAt, updatedAt, actor, silencedUntil);
        } catch (NullPointerException | IllegalArgumentException e) {
            throw r.bad("alert: " + e.getMessage());
        }
    }
}
