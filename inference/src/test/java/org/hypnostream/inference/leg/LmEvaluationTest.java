package org.hypnostream.inference.leg;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.hypnostream.common.event.LegSide;
import org.hypnostream.inference.leg.LegTestSignals.Burst;
import org.hypnostream.inference.leg.LmEvaluation.Movement;
import org.junit.jupiter.api.Test;

class LmEvaluationTest {

    @Test
    void syntheticPeriodicMovementsAreRecoveredWithPerfectF1() {
        // 5 min, left-leg bursts every 25 s (a PLM-like series), right-leg bursts every 60 s; 10 s of tail data
        int n = (int) (310 * LegTestSignals.RATE);
        List<Burst> left = new ArrayList<>();
        List<Burst> right = new ArrayList<>();
        List<Movement> truth = new ArrayList<>();
        for (double t = 10; t < 300; t += 25) {
            left.add(new Burst(t, 1.5));
            truth.add(new Movement(t, 1.5, LegSide.LEFT));
        }
        for (double t = 37; t < 300; t += 60) {
            right.add(new Burst(t, 2.0));
            truth.add(new Movement(t, 2.0, LegSide.RIGHT));
        }
        float[] l = LegTestSignals.noise(n, 2.0, 41);
        float[] r = LegTestSignals.noise(n, 2.0, 42);
        LegTestSignals.addBursts(l, left, 30.0, 43);
        LegTestSignals.addBursts(r, right, 30.0, 44);
        LmEvaluation.Result res = LmEvaluation.evaluate(l, r, LegTestSignals.RATE, truth, LegRules.wasm2016());
        assertThat(res.truePositives()).isEqualTo(truth.size());
        assertThat(res.falsePositives()).isZero();
        assertThat(res.f1()).isEqualTo(1.0);
        assertThat(res.meanAbsOnsetErrorSeconds()).isLessThan(0.05);
        TestReport.line("evaluate lm synthetic 310 s: " + truth.size() + " scored, " + res.found().size()
                + " found, precision " + res.precision() + " recall " + res.recall() + " F1 " + res.f1()
                + ", mean |onset error| " + Math.round(1000 * res.meanAbsOnsetErrorSeconds()) + " ms");
    }

    @Test
    void missedAndExtraMovementsLowerRecallAndPrecision() {
        List<Movement> found = List.of(new Movement(10, 1, LegSide.LEFT), new Movement(30, 1, LegSide.LEFT),
                new Movement(50, 1, LegSide.RIGHT));
        List<Movement> scored = List.of(new Movement(10.2, 1, LegSide.LEFT), new Movement(30.5, 1, LegSide.RIGHT),
                new Movement(70, 1, LegSide.LEFT));
        LmEvaluation.Result res = LmEvaluation.compare(found, scored, List.of());
        // only 10 vs 10.2 (same leg, overlapping) matches: precision 1/3, recall 1/3
        assertThat(res.truePositives()).isEqualTo(1);
        assertThat(res.precision()).isEqualTo(1.0 / 3);
        assertThat(res.recall()).isEqualTo(1.0 / 3);
        assertThat(res.f1()).isEqualTo(1.0 / 3, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(res.meanAbsOnsetErrorSeconds()).isEqualTo(0.2, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void aMissingLegIsReportedNotScored() {
        float[] r = LegTestSignals.noise(30000, 2.0, 45);
        LmEvaluation.Result res = LmEvaluation.evaluate(null, r, LegTestSignals.RATE, List.of(), LegRules.wasm2016());
        assertThat(res.found()).isEmpty();
        // 30000 samples = 12 windows; the left leg is disconnected in every one (the right only in the padded tail)
        assertThat(res.problems()).filteredOn(p -> p.side() == LegSide.LEFT).hasSize(12)
                .allSatisfy(p -> assertThat(p.condition()).isEqualTo(LegChannelStatus.Condition.DISCONNECTED));
    }
}
