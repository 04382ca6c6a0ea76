package org.hypnostream.common.study;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hypnostream.common.event.Stage;

/**
 * The standard sleep statistics of one study so far (docs/sleep-statistics.md has every definition and where YASA
 * and Luna differ); pure and Kafka-free, the same code for the dashboard, the demo's summary and the reports.
 * The study window is lights-off to lights-on: an epoch belongs to it when its midpoint does. Before lights-off is
 * marked the first epoch's start is used and {@code lightsOffAssumed} is set; before lights-on the window ends with
 * the last epoch received. UNSCORED epochs count in no duration (TST, WASO, SPT, stage minutes) and are counted
 * apart; TRT and the latencies are clock spans between marks and epoch starts. Durations in minutes; a number that
 * does not exist yet (no sleep, no REM, zero hours) is null.
 *
 * @param sleepEfficiency TST / TRT, a fraction (0..1)
 * @param stagePctOfTst   N1, N2, N3, REM as % of TST
 * @param lmIndex         leg movements in sleep per hour of TST
 * @param plmsIndex       PLMs in sleep per hour of TST
 * @param plmwIndex       PLMs in wake per hour of wake (scored W within the window)
 */
public record SleepStatistics(StudyState studyState, boolean lightsOffAssumed, Instant lightsOff, Instant lightsOn,
        Instant windowEnd, double trtMin, double tstMin, Double sptMin, Double sleepEfficiency, Double solMin,
        Double persistentSleepLatencyMin, Double remLatencyMin, Double wasoMin, Map<Stage, Double> stageMin,
        Map<Stage, Double> stagePctOfTst, int awakenings, int stageShifts, int scoredEpochs, int unscoredEpochs,
        double unscoredMin, int lmsCount, int plmsCount, int plmwCount, Double lmIndex, Double plmsIndex,
        Double plmwIndex) {

    /** Minutes of unbroken sleep that make sleep "persistent". */
    public static final double PERSISTENT_SLEEP_MIN = 10.0;
    private static final List<Stage> SLEEP = List.of(Stage.N1, Stage.N2, Stage.N3, Stage.REM);

    public SleepStatistics {
        stageMin = Map.copyOf(stageMin);
        stagePctOfTst = Map.copyOf(stagePctOfTst);
    }

    /**
     * @param epochs    the night's epochs (any order; one per index)
     * @param study     the bed's study, or null when none was admitted (then lights-off is assumed)
     * @param movements leg movements with their PLM membership (empty when not known)
     */
    public static SleepStatistics compute(List<EpochStage> epochs, Study study, List<LegMark> movements) {
        List<EpochStage> sorted = new ArrayList<>(epochs);
        sorted.sort(Comparator.comparing(EpochStage::start));
        Instant marked = study == null ? null : study.lightsOff();
        boolean assumed = marked == null;
        Instant lightsOff = assumed ? (sorted.isEmpty() ? null : sorted.get(0).start()) : marked;
        Instant lightsOn = study == null ? null : study.lightsOn();
        StudyState state = study == null ? StudyState.NONE : study.state();
        Instant end = lightsOn;
        if (end == null) {
            end = sorted.isEmpty() ? lightsOff : sorted.get(sorted.size() - 1).end();
        }
        if (lightsOff == null || end.isBefore(lightsOff)) {
            end = lightsOff;
        }
        List<EpochStage> window = new ArrayList<>();
        for (EpochStage e : sorted) {
            Instant mid = e.midpoint();
            if (lightsOff != null && !mid.isBefore(lightsOff) && mid.isBefore(end)) {
                window.add(e);
            }
        }
        double trt = lightsOff == null ? 0 : minutes(lightsOff, end);
        Map<Stage, Double> stageMin = new EnumMap<>(Stage.class);
        for (Stage s : Stage.SCORED) {
            stageMin.put(s, 0.0);
        }
        int unscored = 0;
        double unscoredMin = 0;
        List<EpochStage> scored = new ArrayList<>();
        for (EpochStage e : window) {
            if (e.stage() == Stage.UNSCORED) {
                unscored++;
                unscoredMin += e.minutes();
            } else {
                scored.add(e);
                stageMin.merge(e.stage(), e.minutes(), Double::sum);
            }
        }
        double tst = SLEEP.stream().mapToDouble(stageMin::get).sum();
        int onset = -1;
        int last = -1;
        int firstRem = -1;
        for (int i = 0; i < scored.size(); i++) {
            if (scored.get(i).stage().isSleep()) {
                onset = onset < 0 ? i : onset;
                last = i;
            }
            if (firstRem < 0 && scored.get(i).stage() == Stage.REM) {
                firstRem = i;
            }
        }
        Double sol = null;
        Double spt = null;
        Double waso = null;
        Double remLat = null;
        int awakenings = 0;
        int shifts = 0;
        if (onset >= 0) {
            Instant onsetAt = scored.get(onset).start();
            sol = Math.max(0, minutes(lightsOff, onsetAt));
            double s = 0;
            double w = 0;
            for (int i = onset; i < scored.size(); i++) {
                EpochStage e = scored.get(i);
                if (i <= last) {
                    s += e.minutes();
                }
                if (e.stage() == Stage.W) {
                    w += e.minutes();
                    if (scored.get(i - 1).stage().isSleep()) {
                        awakenings++;
                    }
                }
            }
            spt = s;
            waso = w;
            remLat = firstRem < 0 ? null : minutes(onsetAt, scored.get(firstRem).start());
        }
        for (int i = 1; i < scored.size(); i++) {
            if (scored.get(i).stage() != scored.get(i - 1).stage()) {
                shifts++;
            }
        }
        Map<Stage, Double> pct = new EnumMap<>(Stage.class);
        if (tst > 0) {
            for (Stage s : SLEEP) {
                pct.put(s, 100.0 * stageMin.get(s) / tst);
            }
        }
        int lms = 0;
        int plms = 0;
        int plmw = 0;
        java.util.TreeMap<Instant, EpochStage> byStart = new java.util.TreeMap<>();
        window.forEach(e -> byStart.put(e.start(), e));
        for (LegMark m : movements) {
            Stage st = stageAt(byStart, m.onset());
            if (st != null && st.isSleep()) {
                lms++;
                plms += m.periodic() ? 1 : 0;
            } else if (st == Stage.W && m.periodic()) {
                plmw++;
            }
        }
        double wakeH = stageMin.get(Stage.W) / 60.0;
        return new SleepStatistics(state, assumed, lightsOff, lightsOn, end, trt, tst, spt, trt > 0 ? tst / trt : null, sol,
                persistentLatency(window, lightsOff), remLat, waso, stageMin, pct, awakenings, shifts, scored.size(), unscored,
                unscoredMin, lms, plms, plmw, perHour(lms, tst / 60.0), perHour(plms, tst / 60.0), perHour(plmw, wakeH));
    }

    /** Start of the first run of unbroken sleep (no W, no UNSCORED, no missing epoch) lasting 10 minutes. */
    private static Double persistentLatency(List<EpochStage> window, Instant lightsOff) {
        double run = 0;
        EpochStage runStart = null;
        EpochStage prev = null;
        for (EpochStage e : window) {
            boolean contiguous = prev != null && prev.end().equals(e.start());
            if (!e.stage().isSleep()) {
                runStart = null;
                run = 0;
            } else {
                if (runStart == null || !contiguous) {
                    runStart = e;
                    run = 0;
                }
                run += e.minutes();
                if (run >= PERSISTENT_SLEEP_MIN - 1e-9) {
                    return Math.max(0, minutes(lightsOff, runStart.start()));
                }
            }
            prev = e;
        }
        return null;
    }

    /** The stage of the window's epoch holding {@code t}, or null (outside the window or in a gap). */
    private static Stage stageAt(java.util.TreeMap<Instant, EpochStage> byStart, Instant t) {
        Map.Entry<Instant, EpochStage> e = byStart.floorEntry(t);
        return e != null && t.isBefore(e.getValue().end()) ? e.getValue().stage() : null;
    }

    private static Double perHour(int count, double hours) {
        return hours > 0 ? count / hours : null;
    }

    private static double minutes(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 60e9;
    }

    /**
     * The statistics as snake_case keys (the dashboard's statistics table and the demo's JSON line read this one map):
     * study_state, lights_off_assumed, lights_off, lights_on, trt_min, tst_min, spt_min, sleep_efficiency, sol_min,
     * persistent_sleep_latency_min, rem_latency_min, waso_min, stage_min {W,N1,N2,N3,REM}, stage_pct_tst {N1..REM},
     * awakenings, stage_shifts, scored_epochs, unscored_epochs, unscored_min, lms_count, plms_count, plmw_count,
     * lm_index, plms_index, plmw_index. Minutes to 0.01, efficiency to 0.0001, indices to 0.01.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("study_state", studyState.name());
        m.put("lights_off_assumed", lightsOffAssumed);
        m.put("lights_off", lightsOff == null ? null : lightsOff.toString());
        m.put("lights_on", lightsOn == null ? null : lightsOn.toString());
        m.put("trt_min", r2(trtMin));
        m.put("tst_min", r2(tstMin));
        m.put("spt_min", r2(sptMin));
        m.put("sleep_efficiency", sleepEfficiency == null ? null : Math.round(sleepEfficiency * 10_000) / 10_000.0);
        m.put("sol_min", r2(solMin));
        m.put("persistent_sleep_latency_min", r2(persistentSleepLatencyMin));
        m.put("rem_latency_min", r2(remLatencyMin));
        m.put("waso_min", r2(wasoMin));
        Map<String, Object> st = new LinkedHashMap<>();
        Stage.SCORED.forEach(s -> st.put(s.name(), r2(stageMin.get(s))));
        m.put("stage_min", st);
        Map<String, Object> pc = new LinkedHashMap<>();
        SLEEP.forEach(s -> pc.put(s.name(), r2(stagePctOfTst.get(s))));
        m.put("stage_pct_tst", pc);
        m.put("awakenings", awakenings);
        m.put("stage_shifts", stageShifts);
        m.put("scored_epochs", scoredEpochs);
        m.put("unscored_epochs", unscoredEpochs);
        m.put("unscored_min", r2(unscoredMin));
        m.put("lms_count", lmsCount);
        m.put("plms_count", plmsCount);
        m.put("plmw_count", plmwCount);
        m.put("lm_index", r2(lmIndex));
        m.put("plms_index", r2(plmsIndex));
        m.put("plmw_index", r2(plmwIndex));
        return m;
    }

    private static Double r2(Double v) {
        return v == null ? null : Math.round(v * 100) / 100.0;
    }
}
