package org.hypnostream.dashboard.night;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.hypnostream.common.event.AlarmNotice;
import org.hypnostream.common.event.Alert;
import org.hypnostream.common.event.AlertAction;
import org.hypnostream.common.event.BedInfo;
import org.hypnostream.common.event.JsonCodec;
import org.hypnostream.common.event.LegMovementEvent;
import org.hypnostream.common.event.NeuromuscularEvent;
import org.hypnostream.common.event.PlmEvent;
import org.hypnostream.common.event.RevisedHypnogram;
import org.hypnostream.common.event.StageEvent;
import org.hypnostream.common.review.ReviewEvent;
import org.hypnostream.common.review.StudyReview;
import org.hypnostream.common.study.BedsideEvent;
import org.hypnostream.common.study.EpochStage;
import org.hypnostream.common.study.LegMark;
import org.hypnostream.common.study.SleepStatistics;
import org.hypnostream.common.study.Study;
import org.hypnostream.common.study.StudyEvent;
import org.hypnostream.common.study.StudyLifecycle;
import org.hypnostream.dashboard.eeg.EegFrame;
import org.hypnostream.dashboard.eeg.EmgTrace;
import org.hypnostream.dashboard.feed.DashboardEvent;

/**
 * The night so far of one bed. Every change is idempotent (stages by epoch, movements by id, alerts by id, actions
 * by user+time, study marks and bedside events by event id), so re-reading a topic from the beginning rebuilds the same night and never doubles anything.
 * Not thread-safe: owned by the dashboard's event-loop context.
 */
public final class BedNight {
    /** A PLM series as last reported. */
    public record PlmSeries(String seriesId, String state, int length, Instant firstOnset, Instant lastOffset) {
    }

    private final String bedId;
    private BedInfo info;
    private final TreeMap<Long, StageEvent> stages = new TreeMap<>();
    private final Map<String, LegMovementEvent> legs = new LinkedHashMap<>();
    private final Map<String, PlmSeries> series = new LinkedHashMap<>();
    private PlmEvent indices;
    private final Map<String, Alert> alerts = new LinkedHashMap<>();
    private final Map<String, AlertAction> actions = new LinkedHashMap<>();
    /** Reminders and escalations (alarm-notices.v1) by notice id. */
    private final Map<String, AlarmNotice> notices = new LinkedHashMap<>();
    private NeuromuscularEvent neuro;
    /** Needle-EMG screening of the bed's current recording: window events by index (newest kept), latest verdict. */
    private final TreeMap<Long, NeuromuscularEvent> emgWindows = new TreeMap<>();
    private NeuromuscularEvent emgVerdict;
    private final StudyLifecycle lifecycle;
    private final Map<String, BedsideEvent> bedside = new LinkedHashMap<>();
    /** Scored (bilateral-merged) LMs from plm-events.v1 LM updates: onset and series id, by onset+side. */
    private final Map<String, PlmEvent> lms = new LinkedHashMap<>();
    /** The longest each PLM series grew (a series of 4 or more members was confirmed: its members are PLMs). */
    private final Map<String, Integer> seriesLength = new java.util.HashMap<>();
    /** Morning review of each study of the bed, by study id (review-events.v1). */
    private final Map<String, org.hypnostream.common.review.StudyReview> reviews = new LinkedHashMap<>();
    /** The morning re-score (revised-stages.v1) per study: the latest one (a corrected lights-on re-scores again). */
    private final Map<String, RevisedHypnogram> revised = new LinkedHashMap<>();
    /** Every morning re-score per study, in arrival order: the review merges them (ReviewedNight, ADR 0021). */
    private final Map<String, java.util.List<RevisedHypnogram>> revisions = new LinkedHashMap<>();
    private long seq;
    private Instant lastEventAt;

    BedNight(String bedId) {
        this.bedId = bedId;
        this.lifecycle = new StudyLifecycle(bedId);
    }

    /** The bed's study state machine (marks read back from study-events.v1). */
    public StudyLifecycle lifecycle() {
        return lifecycle;
    }

    public Collection<BedsideEvent> bedsideEvents() {
        return bedside.values();
    }

    /** A PLM series is confirmed from its 4th member on (WASM 2016 and AASM alike). */
    static final int PLM_SERIES_MIN = 4;

    /** The study's statistics so far, from the stages, the lifecycle and the scored LMs (the one shared computation). */
    public SleepStatistics statistics() {
        java.util.List<EpochStage> epochs = new java.util.ArrayList<>(stages.size());
        stages.values().forEach(s -> epochs.add(EpochStage.of(s)));
        java.util.List<LegMark> marks = new java.util.ArrayList<>(lms.size());
        for (PlmEvent p : lms.values()) {
            marks.add(new LegMark(p.lmOnset(), p.seriesId() != null && seriesLength.getOrDefault(p.seriesId(), 0) >= PLM_SERIES_MIN));
        }
        return SleepStatistics.compute(epochs, lifecycle.current().orElse(null), marks);
    }

    /** The morning re-score (NON-causal) of the current study's night, if published. */
    public java.util.Optional<RevisedHypnogram> revised() {
        return lifecycle.current().map(s -> revised.get(s.studyId()));
    }

    /** Every morning re-score of the current study (lights-on, corrected lights-on, on demand), in arrival order. */
    public java.util.List<RevisedHypnogram> revisions() {
        return lifecycle.current().map(s -> java.util.List.copyOf(revisions.getOrDefault(s.studyId(),
                java.util.List.of()))).orElse(java.util.List.of());
    }

    /** The statistics of the current study computed from the revised stages instead of the live ones, or null. */
    public SleepStatistics revisedStatistics() {
        RevisedHypnogram h = revised().orElse(null);
        if (h == null) {
            return null;
        }
        java.util.List<EpochStage> epochs = new java.util.ArrayList<>(h.epochs().size());
        h.epochs().forEach(e -> epochs.add(new EpochStage(e.epochIndex(), e.epochStart(), e.epochEnd(), e.stage())));
        java.util.List<LegMark> marks = new java.util.ArrayList<>(lms.size());
        for (PlmEvent p : lms.values()) {
            marks.add(new LegMark(p.lmOnset(), p.seriesId() != null && seriesLength.getOrDefault(p.seriesId(), 0) >= PLM_SERIES_MIN));
        }
        return SleepStatistics.compute(epochs, lifecycle.current().orElse(null), marks);
    }

    /**
     * The current study's revised hypnogram as JSON ({label, nonCausal, studyId, modelId, modelSha256, producedAt,
     * until, stages: [{i, start, stage, p, priorOnly, reason, live}], compared, agreeing}: {@code live} is the live
     * stage of that epoch, {@code agreeing} of {@code compared} epochs with both have the same stage), or null.
     */
    public JsonObject revisedJson() {
        return revised().map(this::revisedJson).orElse(null);
    }

    JsonObject revisedJson(RevisedHypnogram h) {
        JsonArray st = new JsonArray();
        int compared = 0;
        int agreeing = 0;
        for (RevisedHypnogram.RevisedEpoch e : h.epochs()) {
            JsonArray p = new JsonArray();
            e.probabilities().forEach(p::add);
            StageEvent live = stages.get(e.epochIndex());
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

    /** The review of the bed's current study (empty when nobody reviewed it yet), or null when there is no study. */
    public org.hypnostream.common.review.StudyReview review() {
        Study s = lifecycle.current().orElse(null);
        return s == null ? null : reviews.computeIfAbsent(s.studyId(), org.hypnostream.common.review.StudyReview::new);
    }

    /** The review of study {@code studyId}, if any event was recorded for it. */
    public java.util.Optional<org.hypnostream.common.review.StudyReview> review(String studyId) {
        return java.util.Optional.ofNullable(reviews.get(studyId));
    }

    public String bedId() {
        return bedId;
    }

    public String ward() {
        return info == null ? null : info.ward();
    }

    public BedInfo info() {
        return info;
    }

    public long seq() {
        return seq;
    }

    /** Wall-clock time the last data event (stage, leg movement, PLM) was applied; alarms do not count. */
    public Instant lastEventAt() {
        return lastEventAt;
    }

    public Collection<StageEvent> stages() {
        return stages.values();
    }

    public Collection<LegMovementEvent> legMovements() {
        return legs.values();
    }

    public Collection<PlmSeries> plmSeries() {
        return series.values();
    }

    public PlmEvent plmIndices() {
        return indices;
    }

    public Collection<Alert> alerts() {
        return alerts.values();
    }

    public Collection<AlarmNotice> notices() {
        return notices.values();
    }

    /** Where an alert stands on reminders, escalation, audio pause, acknowledgement and alarm off (ADR 0013). */
    public AlarmStatus alarmStatus(Alert a) {
        return AlarmStatus.of(a, alerts.values(), actions.values(), notices.values());
    }

    public Collection<AlertAction> actions() {
        return actions.values();
    }

    /**
     * Returns the kind of change, or null when the event changed nothing (a re-delivery).
     *
     * @throws IllegalArgumentException for a display frame (EEG / EMG), which is not part of a night
     */
    String apply(DashboardEvent event, Instant now) {
        String kind = event.accept(applying);
        if (kind != null) {
            seq++;
            if (event instanceof DashboardEvent.OfStage || event instanceof DashboardEvent.OfLeg
                    || event instanceof DashboardEvent.OfPlm) {
                lastEventAt = now;
            }
        }
        return kind;
    }

    private final DashboardEvent.Visitor<String> applying = new DashboardEvent.Visitor<>() {
        @Override
        public String bedInfo(BedInfo b) {
            return set(b.equals(info), () -> info = b, "bed");
        }

        @Override
        public String stage(StageEvent s) {
            return set(s.equals(stages.get(s.epochIndex())), () -> stages.put(s.epochIndex(), s), "stage");
        }

        @Override
        public String leg(LegMovementEvent l) {
            return set(l.equals(legs.get(legKey(l))), () -> legs.put(legKey(l), l), "leg");
        }

        @Override
        public String plm(PlmEvent p) {
            return applyPlm(p);
        }

        @Override
        public String alert(Alert a) {
            return set(a.equals(alerts.get(a.alertId())), () -> alerts.put(a.alertId(), a), "alert");
        }

        @Override
        public String alertAction(AlertAction a) {
            return set(actions.containsKey(actionKey(a)), () -> actions.put(actionKey(a), a), "action");
        }

        @Override
        public String alarmNotice(AlarmNotice n) {
            // a kind this version does not know (a later writer's) is ignored, not an error (ADR 0013)
            return n.known() ? set(notices.containsKey(n.noticeId()), () -> notices.put(n.noticeId(), n), "notice") : null;
        }

        @Override
        public String neuromuscular(NeuromuscularEvent n) {
            return set(n.equals(neuro) || isKnownEmg(n), () -> applyEmg(n), "neuro");
        }

        @Override
        public String study(StudyEvent e) {
            return lifecycle.apply(e) ? "study" : null;
        }

        @Override
        public String bedside(BedsideEvent b) {
            return set(bedside.containsKey(b.eventId()), () -> bedside.put(b.eventId(), b), "bedside");
        }

        @Override
        public String review(ReviewEvent r) {
            return reviews.computeIfAbsent(r.studyId(), StudyReview::new).apply(r) ? "review" : null;
        }

        @Override
        public String revised(RevisedHypnogram h) {
            java.util.List<RevisedHypnogram> all = revisions.computeIfAbsent(h.studyId(), k -> new java.util.ArrayList<>());
            return set(all.contains(h), () -> {
                all.add(h);
                revised.put(h.studyId(), h);
            }, "revised");
        }

        @Override
        public String eegFrame(EegFrame f) {
            throw new IllegalArgumentException("bed " + bedId + ": unsupported event EegFrame (a display frame)");
        }

        @Override
        public String emgTrace(EmgTrace t) {
            throw new IllegalArgumentException("bed " + bedId + ": unsupported event EmgTrace (a display frame)");
        }
    };

    /** At most this many window events of the current recording are kept (about 10 min of 1-s windows). */
    static final int MAX_EMG_WINDOWS = 600;

    private boolean isKnownEmg(NeuromuscularEvent n) {
        return "WINDOW".equals(n.kind()) ? n.equals(emgWindows.get(n.windowIndex())) : n.equals(emgVerdict);
    }

    private void applyEmg(NeuromuscularEvent n) {
        neuro = n;
        boolean sameRecording = emgVerdict == null || emgVerdict.recordingId().equals(n.recordingId());
        if ("WINDOW".equals(n.kind())) {
            if (!sameRecording || (emgVerdict != null && emgVerdict.isFinal() && n.windowIndex() == 0)) {
                emgWindows.clear(); // another recording (or the same one started again) is being screened
                emgVerdict = null;
            }
            emgWindows.put(n.windowIndex(), n);
            while (emgWindows.size() > MAX_EMG_WINDOWS) {
                emgWindows.pollFirstEntry();
            }
        } else {
            if (!sameRecording) {
                emgWindows.clear();
            }
            emgVerdict = n;
        }
    }

    /** Window events of the recording being screened, by window index. */
    public Collection<NeuromuscularEvent> emgWindows() {
        return emgWindows.values();
    }

    /** The latest per-recording verdict (running or final), or null. */
    public NeuromuscularEvent emgVerdict() {
        return emgVerdict;
    }

    private static String set(boolean unchanged, Runnable change, String kind) {
        if (unchanged) {
            return null;
        }
        change.run();
        return kind;
    }

    private String applyPlm(PlmEvent p) {
        if (p.equals(indices)) {
            return null;
        }
        if ("LM".equals(p.kind()) && p.lmOnset() != null) {
            lms.put(p.lmOnset() + "|" + p.lmSide(), p);
        }
        if (p.seriesId() != null) {
            seriesLength.merge(p.seriesId(), p.seriesLength(), Math::max);
        }
        if (indices == null || !p.at().isBefore(indices.at() == null ? Instant.MIN : indices.at())) {
            indices = p;
        }
        if (p.seriesId() != null && p.seriesState() != null) {
            PlmSeries old = series.get(p.seriesId());
            Instant first = old == null || old.firstOnset() == null ? p.lmOnset() : old.firstOnset();
            Instant last = p.lmOffset() != null ? p.lmOffset() : old == null ? null : old.lastOffset();
            series.put(p.seriesId(), new PlmSeries(p.seriesId(), p.seriesState(), p.seriesLength(), first, last));
        }
        return "plm";
    }

    static String legKey(LegMovementEvent l) {
        return l.movementId() != null ? l.movementId() : l.side() + "@" + l.onset();
    }

    static String actionKey(AlertAction a) {
        return a.alertId() + "|" + a.action() + "|" + a.user() + "|" + a.at();
    }

    /** The whole night as JSON for REST and websocket snapshots. */
    public JsonObject toJson() {
        JsonObject o = new JsonObject().put("bed", bedId).put("ward", ward()).put("seq", seq)
                .put("displayName", info == null ? bedId : info.displayName())
                .put("sessionStart", info == null || info.sessionStart() == null ? null : info.sessionStart().toString())
                .put("lastEventAt", lastEventAt == null ? null : lastEventAt.toString());
        JsonArray st = new JsonArray();
        stages.values().forEach(s -> st.add(stageJson(s)));
        JsonArray lg = new JsonArray();
        legs.values().forEach(l -> lg.add(legJson(l)));
        JsonArray se = new JsonArray();
        series.values().forEach(s -> se.add(new JsonObject().put("seriesId", s.seriesId()).put("state", s.state())
                .put("length", s.length()).put("firstOnset", str(s.firstOnset())).put("lastOffset", str(s.lastOffset()))));
        JsonArray al = new JsonArray();
        alerts.values().forEach(a -> al.add(json(a).put("alarm", alarmStatus(a).toJson())));
        JsonArray ac = new JsonArray();
        actions.values().forEach(a -> ac.add(json(a)));
        JsonArray no = new JsonArray();
        notices.values().forEach(n -> no.add(json(n)));
        return o.put("stages", st).put("legs", lg).put("plmSeries", se).put("plm", indices == null ? null : json(indices))
                .put("alerts", al).put("actions", ac).put("notices", no).put("neuro", neuro == null ? null : json(neuro))
                .put("emg", emgJson()).put("study", studyJson()).put("bedside", bedsideJson())
                .put("statistics", statisticsJson()).put("review", reviewSummaryJson()).put("revised", revisedJson());
    }

    /** {studyId, status, events} of the current study's review (GET /api/beds/{bed}/review has the whole of it), or null. */
    public JsonObject reviewSummaryJson() {
        Study s = lifecycle.current().orElse(null);
        org.hypnostream.common.review.StudyReview r = s == null ? null : reviews.get(s.studyId());
        return s == null ? null : new JsonObject().put("studyId", s.studyId())
                .put("status", r == null ? "IN_REVIEW" : r.status().name()).put("events", r == null ? 0 : r.events().size());
    }

    public JsonObject statisticsJson() {
        return new JsonObject(statistics().toMap());
    }

    /** The current study (no patient reference: it stays in the topic and the report), or null. */
    public JsonObject studyJson() {
        Study s = lifecycle.current().orElse(null);
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

    private JsonArray bedsideJson() {
        JsonArray a = new JsonArray();
        bedside.values().forEach(b -> a.add(bedsideJson(b)));
        return a;
    }

    static JsonObject bedsideJson(BedsideEvent b) {
        return new JsonObject().put("id", b.eventId()).put("studyId", b.studyId()).put("type", b.type().name())
                .put("label", b.describe()).put("position", b.position() == null ? null : b.position().name())
                .put("text", b.text()).put("user", b.user()).put("at", b.deviceTime().toString())
                .put("recordedAt", b.recordedAt().toString());
    }

    /** {@code {verdict: RECORDING event | null, windows: [{i, p, verdict, confidence}]}} or null when no EMG. */
    private JsonObject emgJson() {
        if (emgVerdict == null && emgWindows.isEmpty()) {
            return null;
        }
        JsonArray w = new JsonArray();
        emgWindows.values().forEach(n -> w.add(emgWindowJson(n)));
        return new JsonObject().put("verdict", emgVerdict == null ? null : json(emgVerdict)).put("windows", w);
    }

    static JsonObject emgWindowJson(NeuromuscularEvent n) {
        JsonArray p = new JsonArray();
        n.probabilities().forEach(p::add);
        JsonArray c = new JsonArray();
        n.classes().forEach(c::add);
        return new JsonObject().put("i", n.windowIndex()).put("recording", n.recordingId()).put("classes", c).put("p", p)
                .put("verdict", n.verdict()).put("confidence", n.confidence());
    }

    /** The JSON of the change {@code kind} just applied for {@code event}. */
    JsonObject changeJson(DashboardEvent event) {
        return event.accept(new ChangeJson(this));
    }

    static JsonObject stageJson(StageEvent s) {
        JsonArray p = new JsonArray();
        s.probabilities().forEach(p::add);
        JsonArray q = new JsonArray();
        s.quality().forEach(f -> q.add(f.name()));
        return new JsonObject().put("i", s.epochIndex()).put("start", s.epochStart().toString()).put("stage", s.stage().name())
                .put("p", p).put("q", q).put("priorOnly", s.fromPriorOnly()).put("reason", s.unscoredReason());
    }

    static JsonObject legJson(LegMovementEvent l) {
        return new JsonObject().put("id", legKey(l)).put("side", l.side().name()).put("onset", l.onset().toString())
                .put("offset", l.offset().toString()).put("durationSeconds", l.durationSeconds());
    }

    static JsonObject json(Object record) {
        return new JsonObject(JsonCodec.toJson(record));
    }

    private static String str(Instant i) {
        return i == null ? null : i.toString();
    }

}
