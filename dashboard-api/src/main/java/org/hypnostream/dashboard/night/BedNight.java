package org.hypnostream.dashboard.night;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hypnostream.common.event.AlarmNotice;
import org.hypnostream.common.event.Alert;
import org.hypnostream.common.event.AlertAction;
import org.hypnostream.common.event.BedInfo;
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
    /** The live hypnogram, by epoch (primitive columns, ADR 0027). */
    private final StageColumns stages;
    /** Leg movements by {@link #legKey} (primitive columns, ADR 0027). */
    private final LegColumns legs;
    private final Map<String, PlmSeries> series = new LinkedHashMap<>();
    private PlmEvent indices;
    private final Map<String, Alert> alerts = new LinkedHashMap<>();
    private final Map<String, AlertAction> actions = new LinkedHashMap<>();
    /** Reminders and escalations (alarm-notices.v1) by notice id. */
    private final Map<String, AlarmNotice> notices = new LinkedHashMap<>();
    private NeuromuscularEvent neuro;
    /** Needle-EMG screening of the bed's current recording. */
    private final EmgScreening emg = new EmgScreening();
    private final StudyLifecycle lifecycle;
    private final Map<String, BedsideEvent> bedside = new LinkedHashMap<>();
    /** Scored (bilateral-merged) LMs from plm-events.v1 LM updates: onset and series id, by onset+side. */
    private final ScoredLms lms;
    /** Provenances, reasons, quality sets, sides and series ids shared by the columns. */
    private final SharedValues values = new SharedValues();
    /** The longest each PLM series grew (a series of 4 or more members was confirmed: its members are PLMs). */
    private final Map<String, Integer> seriesLength = new HashMap<>();
    /** Morning review of each study of the bed, by study id (review-events.v1). */
    private final Map<String, StudyReview> reviews = new LinkedHashMap<>();
    /** The morning re-score (revised-stages.v1) per study: the latest one (a corrected lights-on re-scores again). */
    private final Map<String, RevisedHypnogram> revised = new LinkedHashMap<>();
    /** Every morning re-score per study, in arrival order: the review merges them (ReviewedNight, ADR 0021). */
    private final Map<String, java.util.List<RevisedHypnogram>> revisions = new LinkedHashMap<>();
    private long seq;
    private Instant lastEventAt;

    BedNight(String bedId) {
        this.bedId = bedId;
        this.lifecycle = new StudyLifecycle(bedId);
        this.stages = new StageColumns(bedId, values);
        this.legs = new LegColumns(bedId, values);
        this.lms = new ScoredLms(values);
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
        return SleepStatistics.compute(stages.epochStages(), lifecycle.current().orElse(null), legMarks());
    }

    /** The morning re-score (NON-causal) of the current study's night, if published. */
    public Optional<RevisedHypnogram> revised() {
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
        List<EpochStage> epochs = new ArrayList<>(h.epochs().size());
        h.epochs().forEach(e -> epochs.add(new EpochStage(e.epochIndex(), e.epochStart(), e.epochEnd(), e.stage())));
        return SleepStatistics.compute(epochs, lifecycle.current().orElse(null), legMarks());
    }

    /** The scored LMs, each marked PLM when its series was confirmed (grew to {@link #PLM_SERIES_MIN} or more). */
    private List<LegMark> legMarks() {
        List<LegMark> marks = new ArrayList<>(lms.size());
        lms.forEach((onset, seriesId) -> marks.add(new LegMark(onset,
                seriesId != null && seriesLength.getOrDefault(seriesId, 0) >= PLM_SERIES_MIN)));
        return marks;
    }

    /** The current study's revised hypnogram as JSON ({@link NightJson#revised}), or null. */
    public JsonObject revisedJson() {
        return revised().map(h -> NightJson.revised(this, h)).orElse(null);
    }

    /** The review of the bed's current study (empty when nobody reviewed it yet), or null when there is no study. */
    public StudyReview review() {
        Study s = lifecycle.current().orElse(null);
        return s == null ? null : reviews.computeIfAbsent(s.studyId(), StudyReview::new);
    }

    /** The review of study {@code studyId}, if any event was recorded for it. */
    public Optional<StudyReview> review(String studyId) {
        return Optional.ofNullable(reviews.get(studyId));
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

    /** How many epochs have a live stage (without building them). */
    public int epochCount() {
        return stages.size();
    }

    /** The live stages in epoch order (records made afresh from the columns on each call). */
    public Collection<StageEvent> stages() {
        return stages.events();
    }

    /** The live stage of epoch {@code epochIndex}, or null. */
    StageEvent stage(long epochIndex) {
        return stages.get(epochIndex);
    }

    /** The latest neuromuscular event of any kind, or null. */
    NeuromuscularEvent neuromuscular() {
        return neuro;
    }

    /** The leg movements in the order their keys first came (records made afresh from the columns on each call). */
    public Collection<LegMovementEvent> legMovements() {
        return legs.events();
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
            return set(s.equals(stages.get(s.epochIndex())), () -> stages.put(s), "stage");
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
            return set(n.equals(neuro) || emg.holds(n), () -> {
                neuro = n;
                emg.apply(n);
            }, "neuro");
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

    /** Window events of the recording being screened, by window index. */
    public Collection<NeuromuscularEvent> emgWindows() {
        return emg.windows();
    }

    /** The latest per-recording verdict (running or final), or null. */
    public NeuromuscularEvent emgVerdict() {
        return emg.verdict();
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
            lms.put(p.lmOnset(), p.lmSide(), p.seriesId());
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

    /** The whole night as JSON for REST and websocket snapshots ({@link NightJson}). */
    public JsonObject toJson() {
        return NightJson.of(this);
    }

    /** {studyId, status, events} of the current study's review (GET /api/beds/{bed}/review has the whole of it), or null. */
    public JsonObject reviewSummaryJson() {
        return NightJson.reviewSummary(this);
    }

    public JsonObject statisticsJson() {
        return new JsonObject(statistics().toMap());
    }

    /** The current study (no patient reference: it stays in the topic and the report), or null. */
    public JsonObject studyJson() {
        return NightJson.study(this);
    }

    /** The JSON of the change just applied for {@code event}. */
    JsonObject changeJson(DashboardEvent event) {
        return event.accept(new ChangeJson(this));
    }
}
