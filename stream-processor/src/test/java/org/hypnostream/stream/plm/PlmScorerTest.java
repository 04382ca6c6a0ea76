package org.hypnostream.stream.plm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hypnostream.stream.plm.PlmFixtures.NOW;
import static org.hypnostream.stream.plm.PlmFixtures.leg;
import static org.hypnostream.stream.plm.PlmFixtures.stage;

import java.util.ArrayList;
import java.util.List;
import org.assertj.core.data.Offset;
import org.hypnostream.common.event.LegSide;
import org.hypnostream.common.event.PlmEvent;
import org.hypnostream.common.event.Stage;
import org.junit.jupiter.api.Test;

class PlmScorerTest {
    private final PlmScorer scorer = new PlmScorer(PlmConfig.defaults());
    private final BedPlmState s = new BedPlmState();

    @Test
    void plmsVersusPlmwByTheStageOfTheOnsetEpochEvenWhenStagesArriveLate() {
        // LMs at 45 s (epoch 1, W), 65 and 85 s (epoch 2, N2), 105 s (epoch 3, N2): IMI 20 s -> one series of 4
        List<PlmEvent> out = new ArrayList<>();
        for (double t : new double[] {45, 65, 85, 105}) {
            out.addAll(scorer.onLegEvent(s, leg("bed-1", LegSide.LEFT, t, t + 1), NOW));
        }
        assertThat(out).as("no stage known yet: LMs wait").isEmpty();
        Stage[] stages = {Stage.W, Stage.W, Stage.N2, Stage.N2, Stage.N2, Stage.N2};
        for (int e = 0; e < stages.length; e++) {
            out.addAll(scorer.onStage(s, stage("bed-1", e, stages[e]), NOW));
        }
        List<PlmEvent> lms = out.stream().filter(e -> e.kind().equals("LM")).toList();
        assertThat(lms).extracting(PlmEvent::inSleep).containsExactly(false, true, true, true);
        assertThat(lms).extracting(PlmEvent::seriesState)
                .containsExactly("CANDIDATE", "PROVISIONAL", "PROVISIONAL", "CONFIRMED");
        PlmEvent last = out.get(out.size() - 1);
        assertThat(last.kind()).isEqualTo("INDICES");
        // hand-computed: 4 PLMs: 1 in W, 3 in N2; sleep 4 x 30 s = 1/30 h, wake 2 x 30 s = 1/60 h, recording 180 s
        assertThat(last.plmCount()).isEqualTo(4);
        assertThat(last.plmsCount()).isEqualTo(3);
        assertThat(last.plmwCount()).isEqualTo(1);
        assertThat(last.sleepHours()).isCloseTo(1.0 / 30, Offset.offset(1e-9));
        assertThat(last.plmsIndex()).isCloseTo(90.0, Offset.offset(1e-9));
        assertThat(last.plmwIndex()).isCloseTo(60.0, Offset.offset(1e-9));
        assertThat(last.lmIndex()).isCloseTo(80.0, Offset.offset(1e-9));
        assertThat(last.periodicityIndex()).isEqualTo(1.0);
        assertThat(last.imiHistogram()).containsExactly(0L, 0L, 3L, 0L, 0L, 0L, 0L, 0L, 0L, 0L);
        assertThat(last.respiratoryExclusion()).isEqualTo("unavailable");
        assertThat(last.ruleSet()).isEqualTo("WASM2016");
    }

    static org.hypnostream.common.study.StudyEvent study(org.hypnostream.common.study.StudyEventType type, double atS,
            org.hypnostream.common.study.StudyEventType amends, org.hypnostream.common.study.Population population) {
        java.time.Instant t = PlmFixtures.at(atS);
        return new org.hypnostream.common.study.StudyEvent(type + ":" + atS, "bed-1", "S1", type, "tech", NOW, t,
                type == org.hypnostream.common.study.StudyEventType.ADMITTED ? new org.hypnostream.common.study.Admission("P-0042",
                        org.hypnostream.common.study.StudyProtocol.PLM_STUDY, "AASM", population) : null,
                amends, amends == null ? null : "entered late");
    }

    @Test
    void indicesCountOnlyTheStudyWindowAsTheStatisticsDoAndFollowAnAmendedLightsOff() {
        // the night of the first test: W W N2 N2 N2 N2, PLMs at 45 s (W), 65, 85, 105 s (N2)
        scorer.onStudy(s, study(org.hypnostream.common.study.StudyEventType.ADMITTED, -60, null,
                org.hypnostream.common.study.Population.CHILD), NOW);
        for (double t : new double[] {45, 65, 85, 105}) {
            scorer.onLegEvent(s, leg("bed-1", LegSide.LEFT, t, t + 1), NOW);
        }
        Stage[] stages = {Stage.W, Stage.W, Stage.N2, Stage.N2, Stage.N2, Stage.N2};
        for (int e = 0; e < stages.length; e++) {
            scorer.onStage(s, stage("bed-1", e, stages[e]), NOW);
        }
        PlmEvent all = scorer.indices(s, "bed-1", NOW);
        assertThat(all.ruleSet()).as("the study's rule set").isEqualTo("AASM");
        assertThat(all.sleepHours()).as("lights-off not marked: the whole recording").isCloseTo(4 / 120.0, Offset.offset(1e-12));
        assertThat(all.plmsCount()).isEqualTo(3);
        // lights-off marked at 90 s (epoch 3 on): sleep = epochs 3-5 = 1.5 min, PLMS = the one at 105 s; PLMW none
        PlmEvent off = scorer.onStudy(s, study(org.hypnostream.common.study.StudyEventType.LIGHTS_OFF, 90, null, null), NOW).get(0);
        assertThat(off.sleepHours()).isCloseTo(3 / 120.0, Offset.offset(1e-12));
        assertThat(off.wakeHours()).isZero();
        assertThat(off.plmsCount()).isEqualTo(1);
        assertThat(off.plmwCount()).isZero();
        assertThat(off.plmsIndex()).isCloseTo(40.0, Offset.offset(1e-9));
        // amended to 30 s (epoch 1 on): sleep epochs 2-5 (2 min), wake epoch 1: PLMS 3 (index 90/h), PLMW 1 (120/h)
        PlmEvent amended = scorer.onStudy(s, study(org.hypnostream.common.study.StudyEventType.AMENDED, 30,
                org.hypnostream.common.study.StudyEventType.LIGHTS_OFF, null), NOW).get(0);
        assertThat(amended.plmsCount()).isEqualTo(3);
        assertThat(amended.plmsIndex()).isCloseTo(90.0, Offset.offset(1e-9));
        assertThat(amended.plmwCount()).isEqualTo(1);
        assertThat(amended.plmwIndex()).isCloseTo(120.0, Offset.offset(1e-9));
        // lights-on at 150 s: epochs 1-4: sleep 1.5 min with PLMS at 65, 85, 105 s -> 120/h
        PlmEvent on = scorer.onStudy(s, study(org.hypnostream.common.study.StudyEventType.LIGHTS_ON, 150, null, null), NOW).get(0);
        assertThat(on.sleepHours()).isCloseTo(3 / 120.0, Offset.offset(1e-12));
        assertThat(on.plmsIndex()).isCloseTo(120.0, Offset.offset(1e-9));
        assertThat(scorer.alarmThreshold(s)).as("a child's study: the child reference").isEqualTo(5.0);
        assertThat(new PlmScorer(PlmConfig.defaults()).alarmThreshold(new BedPlmState())).isEqualTo(15.0);
    }

    @Test
    void aasmLeavesAWakePeriodOfMoreThan90sOutOfTheIntervalWasmDoesNot() {
        // LMs at 15 and 35 s (N2), 300 s of wake (epochs 2-11), LMs at 375 and 395 s (N2):
        // raw IMI 35 -> 375 s = 340 s; AASM leaves the 300 s of wake out: 40 s, inside 5-90 s -> one series of 4
        assertThat(seriesStates("AASM")).containsExactly("CANDIDATE", "PROVISIONAL", "PROVISIONAL", "CONFIRMED");
        // WASM counts 340 s > 90 s: the series breaks after two members
        assertThat(seriesStates("WASM2016")).containsExactly("CANDIDATE", "PROVISIONAL", "CANDIDATE", "PROVISIONAL");
    }

    @Test
    void aWakePeriodOf90sOrLessIsNotLeftOut() {
        BedPlmState bed = new BedPlmState();
        bed.ruleSet = "AASM";
        List<PlmEvent> out = new ArrayList<>();
        for (double t : new double[] {15, 35, 165, 185}) {
            out.addAll(scorer.onLegEvent(bed, leg("bed-1", LegSide.LEFT, t, t + 1), NOW));
        }
        // epochs 2-4 are wake: exactly 90 s, not more -> the 130 s interval 35 -> 165 s breaks the series
        Stage[] stages = {Stage.N2, Stage.N2, Stage.W, Stage.W, Stage.W, Stage.N2, Stage.N2, Stage.N2, Stage.N2};
        for (int e = 0; e < stages.length; e++) {
            out.addAll(scorer.onStage(bed, stage("bed-1", e, stages[e]), NOW));
        }
        assertThat(out.stream().filter(e -> e.kind().equals("LM")).map(PlmEvent::seriesState))
                .containsExactly("CANDIDATE", "PROVISIONAL", "CANDIDATE", "PROVISIONAL");
    }

    private List<String> seriesStates(String ruleSet) {
        BedPlmState bed = new BedPlmState();
        bed.ruleSet = ruleSet;
        List<PlmEvent> out = new ArrayList<>();
        for (double t : new double[] {15, 35, 375, 395}) {
            out.addAll(scorer.onLegEvent(bed, leg("bed-1", LegSide.LEFT, t, t + 1), NOW));
        }
        for (int e = 0; e < 16; e++) {
            out.addAll(scorer.onStage(bed, stage("bed-1", e, e >= 2 && e <= 11 ? Stage.W : Stage.N2), NOW));
        }
        return out.stream().filter(e -> e.kind().equals("LM")).map(PlmEvent::seriesState).toList();
    }

    @Test
    void bilateralLegsArriveOutOfOrderAndStillMerge() {
        // right leg's movement (onset 100.2) is reported after a later left one: grouping waits for both legs
        List<PlmEvent> out = new ArrayList<>();
        out.addAll(scorer.onStage(s, stage("bed-1", 3, Stage.N2), NOW));
        out.addAll(scorer.onLegEvent(s, leg("bed-1", LegSide.LEFT, 100.0, 101.0), NOW));
        out.addAll(scorer.onLegEvent(s, leg("bed-1", LegSide.LEFT, 103.0, 104.0), NOW));
        out.addAll(scorer.onLegEvent(s, leg("bed-1", LegSide.RIGHT, 100.2, 101.4), NOW));
        out.addAll(scorer.onLegEvent(s, leg("bed-1", LegSide.RIGHT, 110.0, 111.0), NOW));
        // watermark = min(last left offset 104, last right offset 111): only the first group (horizon 101.9) is final
        assertThat(out.stream().filter(e -> e.kind().equals("LM")).toList()).hasSize(1);
        out.addAll(scorer.onLegEvent(s, leg("bed-1", LegSide.LEFT, 120.0, 121.0), NOW));
        // watermark 111: L 103-104 (horizon 104.5) is final, R 110-111 (horizon 111.5) still waits
        List<PlmEvent> lms = out.stream().filter(e -> e.kind().equals("LM")).toList();
        assertThat(lms).hasSize(2);
        assertThat(lms.get(0).lmSide()).isEqualTo("BILATERAL");
        assertThat(lms.get(0).lmOffset()).isEqualTo(PlmFixtures.at(101.4));
        assertThat(lms.get(1).lmSide()).isEqualTo("LEFT");
    }

    @Test
    void withoutAStagerLmsAreScoredUnstagedAfterTheWait() {
        List<PlmEvent> out = new ArrayList<>();
        for (double t = 0; t <= 400; t += 20) {
            out.addAll(scorer.onLegEvent(s, leg("bed-1", LegSide.LEFT, t, t + 1), NOW));
        }
        // stage wait 300 s + bilateral grace 30 s: LMs up to onset ~ 70 s are released by stream time 401 s
        assertThat(out).isNotEmpty().allSatisfy(e -> assertThat(e.inSleep()).isFalse());
        assertThat(out.get(out.size() - 1).plmsCount()).isZero();
        assertThat(s.unstagedLms).isEqualTo(out.size());
    }

    @Test
    void aBilateralEventOnTheMonolateralTopicIsRejected() {
        assertThatThrownBy(() -> scorer.onLegEvent(s, leg("bed-1", LegSide.BILATERAL, 1, 2), NOW))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("BILATERAL");
    }
}
