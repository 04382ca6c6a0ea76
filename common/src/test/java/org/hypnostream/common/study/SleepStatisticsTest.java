package org.hypnostream.common.study;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.hypnostream.common.event.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every statistic on hand-built hypnograms (30-s epochs from 22:00:00; one character per epoch: W 1 2 3 R, ? =
 * UNSCORED) with expectations computed by hand in the comments. Minutes: one epoch = 0.5.
 */
class SleepStatisticsTest {
    static final Instant T0 = Instant.parse("2026-11-20T22:00:00Z");

    /** lightsOff / lightsOn in epochs from T0 (null = not marked); movements = (epoch + 0.2, periodic). */
    record Case(String name, String hypnogram, Double lightsOff, Double lightsOn, List<double[]> movements,
            Map<String, Object> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Map<String, Object> m(Object... kv) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            out.put((String) kv[i], kv[i + 1]);
        }
        return out;
    }

    static Stream<Case> cases() {
        return Stream.of(
                // N1 N2 N2 N2 R N2 W, lights 0..7: TRT 3.5, TST 3.0, SE 3/3.5, onset = epoch 0 -> SOL 0, REM at epoch 4
                // -> REM latency 2.0 from onset, WASO = the last W = 0.5, SPT = epochs 0-5 = 3.0, 1 awakening,
                // shifts 1>2, 2>R, R>2, 2>W = 4; N1 .5 (16.67 %), N2 2.0 (66.67 %), REM .5 (16.67 %)
                new Case("sleep onset at the first epoch", "1222R2W", 0.0, 7.0, List.of(),
                        m("study_state", "LIGHTS_ON", "lights_off_assumed", false, "trt_min", 3.5, "tst_min", 3.0,
                                "sleep_efficiency", 0.8571, "sol_min", 0.0, "rem_latency_min", 2.0, "waso_min", 0.5,
                                "spt_min", 3.0, "awakenings", 1, "stage_shifts", 4, "persistent_sleep_latency_min", null,
                                "stage_min", m("W", 0.5, "N1", 0.5, "N2", 2.0, "N3", 0.0, "REM", 0.5),
                                "stage_pct_tst", m("N1", 16.67, "N2", 66.67, "N3", 0.0, "REM", 16.67))),
                // W W N2x20 W, lights 0..23: TRT 11.5, TST 10, SOL 1.0, persistent sleep from epoch 2 -> 1.0, no REM,
                // WASO 0.5, SPT 10, SE 10/11.5; LMs: epochs 5, 6 periodic + 7 not (sleep: 3 LMs, 2 PLMs),
                // epoch 1 periodic (wake: 1 PLMW). TST 1/6 h: LM index 18, PLMS 12; wake 1.5 min: PLMW 40/h
                new Case("no REM, persistent sleep, PLM indices", "WW" + "2".repeat(20) + "W", 0.0, 23.0,
                        List.of(new double[] {5, 1}, new double[] {6, 1}, new double[] {7, 0}, new double[] {1, 1}),
                        m("trt_min", 11.5, "tst_min", 10.0, "sol_min", 1.0, "persistent_sleep_latency_min", 1.0,
                                "rem_latency_min", null, "waso_min", 0.5, "spt_min", 10.0, "sleep_efficiency", 0.8696,
                                "awakenings", 1, "stage_shifts", 2, "lms_count", 3, "plms_count", 2, "plmw_count", 1,
                                "lm_index", 18.0, "plms_index", 12.0, "plmw_index", 40.0)),
                // W N1 W N2 N2 W W W, lights 0..8: onset epoch 1 (SOL .5); WASO = epochs 2, 5, 6, 7 = 2.0 (wake after
                // the last sleep epoch included, AASM); SPT = epochs 1-4 = 2.0; TST 1.5; SE 1.5/4; 2 awakenings;
                // shifts W>1, 1>W, W>2, 2>W = 4
                new Case("WASO includes wake after the last sleep epoch", "W1W22WWW", 0.0, 8.0, List.of(),
                        m("trt_min", 4.0, "tst_min", 1.5, "sol_min", 0.5, "waso_min", 2.0, "spt_min", 2.0,
                                "sleep_efficiency", 0.375, "awakenings", 2, "stage_shifts", 4, "rem_latency_min", null)),
                // ? W N2 ? N2 R ?, lights 0..7: 3 unscored (1.5 min) in no duration; TST = epochs 2, 4, 5 = 1.5;
                // SOL = epoch 2 start = 1.0 (a clock span); SPT = scored epochs 2-5 = 1.5; WASO 0 (epoch 6 is
                // unscored, not wake); REM latency = epoch 5 - epoch 2 = 1.5; SE 1.5/3.5; shifts over the scored
                // sequence W 2 2 R = 2
                new Case("unscored epochs excluded and counted", "?W2?2R?", 0.0, 7.0, List.of(),
                        m("trt_min", 3.5, "tst_min", 1.5, "unscored_epochs", 3, "unscored_min", 1.5, "scored_epochs", 4,
                                "sol_min", 1.0, "spt_min", 1.5, "waso_min", 0.0, "rem_latency_min", 1.5,
                                "sleep_efficiency", 0.4286, "stage_shifts", 2, "awakenings", 0,
                                "stage_min", m("W", 0.5, "N1", 0.0, "N2", 1.0, "N3", 0.0, "REM", 0.5))),
                // W W W W ?, lights 0..5: no sleep: TST 0, SE 0, SOL/REM/WASO/SPT null, no stage %; a PLM in wake
                // (epoch 1) over 2 min of wake = 30/h; PLMS index null (no sleep hours)
                new Case("a night with no sleep", "WWWW?", 0.0, 5.0, List.of(new double[] {1, 1}),
                        m("trt_min", 2.5, "tst_min", 0.0, "sleep_efficiency", 0.0, "sol_min", null, "rem_latency_min", null,
                                "waso_min", null, "spt_min", null, "awakenings", 0, "stage_shifts", 0, "unscored_epochs", 1,
                                "plms_index", null, "lm_index", null, "plmw_count", 1, "plmw_index", 30.0,
                                "stage_pct_tst", m("N1", null, "N2", null, "N3", null, "REM", null))),
                // lights-off not marked: the first epoch is assumed; lights-on not marked: the window ends with the
                // last epoch. W N2 N2 R: TRT 2.0, TST 1.5, SOL .5, REM latency 1.0
                new Case("before lights-off: first epoch assumed", "W22R", null, null, List.of(),
                        m("study_state", "ADMITTED", "lights_off_assumed", true, "lights_off", T0.toString(),
                                "lights_on", null, "trt_min", 2.0, "tst_min", 1.5, "sol_min", 0.5, "rem_latency_min", 1.0,
                                "sleep_efficiency", 0.75)),
                // lights-off marked 2 epochs in, lights-on 6: only epochs 2-5 (N2 N3 W N2) count; the W before
                // lights-off and the REM after lights-on do not. TRT 2.0, TST 1.5, SOL 0, WASO .5, REM null
                new Case("epochs outside lights-off..lights-on are left out", "WW23W2R", 2.0, 6.0, List.of(),
                        m("trt_min", 2.0, "tst_min", 1.5, "sol_min", 0.0, "waso_min", 0.5, "rem_latency_min", null,
                                "stage_min", m("W", 0.5, "N1", 0.0, "N2", 1.0, "N3", 0.5, "REM", 0.0))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void statisticsMatchHandComputedValues(Case c) {
        StudyLifecycle life = new StudyLifecycle("bed-1");
        life.apply(admit(T0.minusSeconds(600)));
        if (c.lightsOff() != null) {
            life.apply(mark(StudyEventType.LIGHTS_OFF, at(c.lightsOff())));
        }
        if (c.lightsOn() != null) {
            life.apply(mark(StudyEventType.LIGHTS_ON, at(c.lightsOn())));
        }
        List<LegMark> legs = new ArrayList<>();
        c.movements().forEach(mv -> legs.add(new LegMark(at(mv[0] + 0.2), mv[1] > 0)));
        Map<String, Object> got = SleepStatistics.compute(epochs(c.hypnogram()), life.current().orElseThrow(), legs).toMap();
        c.expected().forEach((k, v) -> assertThat(got.get(k)).as(c.name() + ": " + k).isEqualTo(v));
    }

    @Test
    void lightsOffAmendedAfterTheFactMovesTheWindow() {
        // epochs from T0: W W W N2 N2 N2 N2 R; lights-off entered late at epoch 4, lights-on at 8
        List<EpochStage> night = epochs("WWW2222R");
        StudyLifecycle life = new StudyLifecycle("bed-1");
        life.apply(admit(T0.minusSeconds(600)));
        life.apply(mark(StudyEventType.LIGHTS_OFF, at(4)));
        life.apply(mark(StudyEventType.LIGHTS_ON, at(8)));
        SleepStatistics before = SleepStatistics.compute(night, life.current().orElseThrow(), List.of());
        // window epochs 4-7 (N2 N2 N2 R): TRT 2.0, TST 2.0, SOL 0, REM latency 1.5 (epoch 7 - epoch 4)
        assertThat(before.trtMin()).isEqualTo(2.0);
        assertThat(before.tstMin()).isEqualTo(2.0);
        assertThat(before.solMin()).isEqualTo(0.0);
        assertThat(before.remLatencyMin()).isEqualTo(1.5);
        life.apply(new StudyEvent(UUID.randomUUID().toString(), "bed-1", "S1", StudyEventType.AMENDED, "tech1", at(20), at(2),
                null, StudyEventType.LIGHTS_OFF, "entered late; lights were off at 22:01"));
        SleepStatistics after = SleepStatistics.compute(night, life.current().orElseThrow(), List.of());
        // window epochs 2-7 (W N2 N2 N2 N2 R): TRT 3.0, TST 2.5, SOL 0.5, SE 2.5/3, REM latency 2.0 (epoch 7 - 3)
        assertThat(after.lightsOff()).isEqualTo(at(2));
        assertThat(after.trtMin()).isEqualTo(3.0);
        assertThat(after.tstMin()).isEqualTo(2.5);
        assertThat(after.solMin()).isEqualTo(0.5);
        assertThat(after.sleepEfficiency()).isCloseTo(2.5 / 3.0, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(after.remLatencyMin()).isEqualTo(2.0);
        assertThat(life.current().orElseThrow().amendments()).hasSize(1);
    }

    @Test
    void noStudyAndNoEpochsGiveEmptyStatistics() {
        SleepStatistics s = SleepStatistics.compute(List.of(), null, List.of());
        assertThat(s.studyState()).isEqualTo(StudyState.NONE);
        assertThat(s.lightsOffAssumed()).isTrue();
        assertThat(s.trtMin()).isZero();
        assertThat(s.sleepEfficiency()).isNull();
        assertThat(s.toMap().get("rem_latency_min")).isNull();
    }

    static Instant at(double epochs) {
        return T0.plusMillis(Math.round(epochs * 30_000));
    }

    static List<EpochStage> epochs(String hypnogram) {
        List<EpochStage> out = new ArrayList<>();
        for (int i = 0; i < hypnogram.length(); i++) {
            Stage s = switch (hypnogram.charAt(i)) {
                case 'W' -> Stage.W;
                case '1' -> Stage.N1;
                case '2' -> Stage.N2;
                case '3' -> Stage.N3;
                case 'R' -> Stage.REM;
                case '?' -> Stage.UNSCORED;
                default -> throw new IllegalArgumentException("bad hypnogram character " + hypnogram.charAt(i));
            };
            out.add(new EpochStage(i, at(i), at(i + 1), s));
        }
        return out;
    }

    static StudyEvent admit(Instant t) {
        return new StudyEvent(UUID.randomUUID().toString(), "bed-1", "S1", StudyEventType.ADMITTED, "tech1", t, t,
                new Admission("P-0042", StudyProtocol.PLM_STUDY, "WASM2016", Population.ADULT), null, null);
    }

    static StudyEvent mark(StudyEventType type, Instant t) {
        return new StudyEvent(UUID.randomUUID().toString(), "bed-1", "S1", type, "nurse1", t, t, null, null, null);
    }
}
