package org.hypnostream.dashboard.night;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.hypnostream.common.event.JsonCodec;
import org.hypnostream.common.event.LegMovementEvent;
import org.hypnostream.common.event.NeuromuscularEvent;
import org.hypnostream.common.event.RevisedHypnogram;
import org.hypnostream.common.event.StageEvent;
import org.hypnostream.common.review.StudyReview;
import org.hypnostream.common.study.BedsideEvent;
import org.hypnostream.common.study.Study;
import org.hypnostream.common.study.StudyEvent;

/**
 * The JSON of a bed's night for REST and websocket snapshots: one job, rendering. It reads a {@link BedNight} through
 * its accessors and changes nothing; folding events into the night stays in {@code BedNight}, and the JSON of a single
 * change in {@link ChangeJson}.
 */
final class NightJson {
    private NightJson() {
    }

    /** The whole night ({@link BedNight#toJson()}). */
    static JsonObject of(BedNight n) {
        JsonObject o = new JsonObject().put("bed", n.bedId()).put("ward", n.ward()).put("seq", n.seq())
                .put("displayName", n.info() == null ? n.bedId() : n.info().displayName())
                .put("sessionStart", n.info() == null ? null : str(n.info().sessionStart()))
                .put("lastEventAt", str(n.lastEventAt()));
        JsonArray st = new JsonArray();
        n.stages().forEach(s -> st.add(stage(s)));
        JsonArray lg = new JsonArray();
        n.legMovements().forEach(l -> lg.add(leg(l)));
        JsonArray se = new JsonArray();
        n.plmSeries().forEach(s -> se.add(new JsonObject().put("seriesId", s.seriesId()).put("state", s.state())
                .put("length", s.length()).put("firstOnset", str(s.firstOnset())).put("lastOffset", str(s.lastOffset()))));
        JsonArray al = new JsonArray();
        n.alerts().forEach(a -> al.add(record(a).put("alarm", n.alarmStatus(a).toJson())));
        JsonArray ac = new JsonArray();
        n.actions().forEach(a -> ac.add(record(a)));
        JsonArray no = new JsonArray();
        n.notices().forEach(x -> no.add(record(x)));
        JsonArray bs = new JsonArray();
        n.bedsideEvents().forEach(b -> bs.add(bedside(b)));
        return o.put("stages", st).put("legs", lg).put("plmSeries", se)
                .put("plm", n.plmIndices() == null ? null : record(n.plmIndices()))
                .put("alerts", al).put("actions", ac).put("notices", no)
                .put("neuro", n.neuromuscular() == null ? null : record(n.neuromuscular()))
                .put("emg", emg(n)).put("study", study(n)).put("bedside", bs)
                .put("statistics", n.statisticsJson()).put("review", reviewSummary(n)).put("revised", n.revisedJson());
    }

    /**
     * A revised hypnogram ({label, nonCausal, studyId, modelId, modelSha256, producedAt, from, until, trigger,
     * stages: [{i, start, stage, p, priorOnly, reason, live}], compared, agreeing}): {@code live} is the night's live
     * stage of that epoch, {@code agreeing} of {@code compared} epochs with both have the same stage.
     */
    static JsonObject revised(BedNight n, RevisedHypnogram h) {
        JsonArray st = new JsonArray();
        int compared = 0;
        int agreeing = 0;
        for (RevisedHypnogram.RevisedEpoch e : h.epochs()) {
            JsonArray p = new JsonArray();
            e.probabilities().forEach(p::add);
            StageEvent live = n.stage(e.epochIndex());
            String liveStage = live != null && live.epochStart().equals(e.epochStart()) ? live.stage().name() : null;
            if (liveStage != null) {
                compared++;
                agreeing += liveStage.equals(e.stage().name()) ? 1 : 0;
            }
            st.add(new JsonObject().put("i", e.epochIndex()).put("start", e.epochStart().toString())
                    .put("stage", e.stage().name()).put("p", p).put("priorOnly", e.fromPriorOnly())
                    .put("reason", e.reason()).put("live", liveStage));
        }
        return new JsonObject().put("label", h.label()).put("nonCausal", h.nonCausal()).put("studyId", h.studyId())
                .put("modelId", h.provenance().modelId()).put("modelSha256", h.provenance().modelSha256())
                .put("producedAt", h.producedAt().toString()).put("from", str(h.from())).put("until", h.until().toString())
                .put("trigger", h.triggerEventId()).put("stages", st).put("compared", compared).put("agreeing", agreeing);
    }

    /** {studyId, status, events} of the current study's review, or null when there is no study. */
    static JsonObject reviewSummary(BedNight n) {
        Study s = n.lifecycle().current().orElse(null);
        if (s == null) {
            return null;
        }
        StudyReview r = n.review(s.studyId()).orElse(null);
        return new JsonObject().put("studyId", s.studyId())
                .put("status", r == null ? "IN_REVIEW" : r.status().name()).put("events", r == null ? 0 : r.events().size());
    }

    /** The current study (no patient reference: it stays in the topic and the report), or null. */
    static JsonObject study(BedNight n) {
        Study s = n.lifecycle().current().orElse(null);
        if (s == null) {
            return null;
        }
        JsonArray marks = new JsonArray();
        for (StudyEvent m : s.marks()) {
            marks.add(new JsonObject().put("id", m.eventId()).put("type", m.type().name())
                    .put("amends", m.amends() == null ? null : m.amends().name()).put("user", m.user())
                    .put("deviceTime", m.deviceTime().toString()).put("recordedAt", m.recordedAt().toString())
                    .put("reason", m.reason()));
        }
        return new JsonObject().put("studyId", s.studyId()).put("state", s.state().name())
                .put("protocol", s.admission().protocol().name()).put("ruleSet", s.admission().ruleSet())
                .put("population", s.admission().population().name()).put("admittedAt", s.admittedAt().toString())
                .put("admittedBy", s.admittedBy()).put("lightsOff", str(s.lightsOff())).put("lightsOn", str(s.lightsOn()))
                .put("endedAt", str(s.endedAt())).put("marks", marks);
    }

    static JsonObject bedside(BedsideEvent b) {
        return new JsonObject().put("id", b.eventId()).put("studyId", b.studyId()).put("type", b.type().name())
                .put("label", b.describe()).put("position", b.position() == null ? null : b.position().name())
                .put("text", b.text()).put("user", b.user()).put("at", b.deviceTime().toString())
                .put("recordedAt", b.recordedAt().toString());
    }

    /** {@code {verdict: RECORDING event | null, windows: [{i, p, verdict, confidence}]}} or null when no EMG. */
    static JsonObject emg(BedNight n) {
        if (n.emgVerdict() == null && n.emgWindows().isEmpty()) {
            return null;
        }
        JsonArray w = new JsonArray();
        n.emgWindows().forEach(x -> w.add(emgWindow(x)));
        return new JsonObject().put("verdict", n.emgVerdict() == null ? null : record(n.emgVerdict())).put("windows", w);
    }

    static JsonObject emgWindow(NeuromuscularEvent n) {
        JsonArray p = new JsonArray();
        n.probabilities().forEach(p::add);
        JsonArray c = new JsonArray();
        n.classes().forEach(c::add);
        return new JsonObject().put("i", n.windowIndex()).put("recording", n.recordingId()).put("classes", c).put("p", p)
                .put("verdict", n.verdict()).put("confidence", n.confidence());
    }

    static JsonObject stage(StageEvent s) {
        JsonArray p = new JsonArray();
        s.probabilities().forEach(p::add);
        JsonArray q = new JsonArray();
        s.quality().forEach(f -> q.add(f.name()));
        return new JsonObject().put("i", s.epochIndex()).put("start", s.epochStart().toString()).put("stage", s.stage().name())
                .put("p", p).put("q", q).put("priorOnly", s.fromPriorOnly()).put("reason", s.unscoredReason());
    }

    static JsonObject leg(LegMovementEvent l) {
        return new JsonObject().put("id", BedNight.legKey(l)).put("side", l.side().name()).put("onset", l.onset().toString())
                .put("offset", l.offset().toString()).put("durationSeconds", l.durationSeconds());
    }

    /** A wire record as its JSON ({@link JsonCodec}). */
    static JsonObject record(Object record) {
        return new JsonObject(JsonCodec.toJson(record));
    }

    private static String str(Instant i) {
        return i == null ? null : i.toString();
    }
}
