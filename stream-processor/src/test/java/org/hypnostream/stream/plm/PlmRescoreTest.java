package org.hypnostream.stream.plm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.hypnostream.common.event.LegMovementEvent;
import org.hypnostream.common.event.LegSide;
import org.hypnostream.common.event.Provenance;
import org.hypnostream.common.event.Stage;
import org.hypnostream.common.event.StageEvent;
import org.hypnostream.common.study.LegMark;
import org.junit.jupiter.api.Test;

/** A whole night scored again by the live scorer, with hand-computed counts and indices. */
class PlmRescoreTest {
    static final Instant T0 = Instant.parse("2026-11-20T22:00:00Z");
    static final Provenance P = Provenance.model("stager", "00".repeat(32), "CPU");

    static List<StageEvent> night(int epochs, int wakeFrom) {
        List<StageEvent> out = new ArrayList<>();
        for (int i = 0; i < epochs; i++) {
            Instant s = T0.plusSeconds(30L * i);
            out.add(new StageEvent("bed-1", i, s, s.plusSeconds(30), i >= wakeFrom ? Stage.W : Stage.N2,
                    List.of(0.2, 0.2, 0.2, 0.2, 0.2), false, null, Set.of(), P, s, 0, 0));
        }
        return out;
    }

    static LegMovementEvent leg(LegSide side, double onset, double seconds) {
        Instant on = T0.plusMillis(Math.round(onset * 1000));
        return new LegMovementEvent("bed-1", side + "-" + onset, side, on, on.plusMillis(Math.round(seconds * 1000)), seconds, 40,
                Set.of(), Provenance.rules("WASM2016"), on, 0);
    }

    @Test
    void fourLmsTwentySecondsApartInSleepAreOneConfirmedSeries() {
        List<LegMovementEvent> legs = List.of(leg(LegSide.LEFT, 120, 1.5), leg(LegSide.LEFT, 140, 1.5), leg(LegSide.LEFT, 160, 1.5),
                leg(LegSide.LEFT, 180, 1.5));
        PlmRescore.Result r = PlmRescore.rescore("bed-1", List.of(), night(40, 40), legs, PlmConfig.defaults(), T0);
        assertThat(r.lms()).hasSize(4);
        assertThat(r.indices().plmCount()).isEqualTo(4);
        assertThat(r.indices().plmsCount()).isEqualTo(4);
        assertThat(r.indices().plmsIndex()).isCloseTo(4 / (40 * 30 / 3600.0), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(r.indices().imiHistogram().get(2)).isEqualTo(3);
        assertThat(r.legMarks()).extracting(LegMark::periodic).containsOnly(true);
    }

    @Test
    void withoutTheThirdTheSeriesIsTooShortAndOverlappingLegsMergeIntoOneLm() {
        List<LegMovementEvent> legs = List.of(leg(LegSide.LEFT, 120, 1.5), leg(LegSide.RIGHT, 120.5, 1.5),
                leg(LegSide.LEFT, 140, 1.5), leg(LegSide.LEFT, 180, 1.5));
        PlmRescore.Result r = PlmRescore.rescore("bed-1", List.of(), night(40, 40), legs, PlmConfig.defaults(), T0);
        assertThat(r.lms()).as("left+right at 120 s are one bilateral LM").hasSize(3);
        assertThat(r.indices().plmCount()).isZero();
        assertThat(r.legMarks()).extracting(LegMark::periodic).containsOnly(false);
    }

    @Test
    void aSeriesInWakeCountsAsPlmw() {
        List<LegMovementEvent> legs = List.of(leg(LegSide.LEFT, 620, 1), leg(LegSide.LEFT, 640, 1), leg(LegSide.LEFT, 660, 1),
                leg(LegSide.LEFT, 680, 1));
        PlmRescore.Result r = PlmRescore.rescore("bed-1", List.of(), night(40, 20), legs, PlmConfig.defaults(), T0);
        assertThat(r.indices().plmwCount()).isEqualTo(4);
        assertThat(r.indices().plmsCount()).isZero();
        assertThat(r.indices().plmwIndex()).isCloseTo(4 / (20 * 30 / 3600.0), org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void aRandomHourScoresAsTheBatchScorerDoes() {
        // the batch path (BilateralMerger.mergeAll + series tracker) is separate code: both must agree on LMs and PLMs
        java.util.Random rnd = new java.util.Random(7);
        List<LegMovementEvent> legs = new ArrayList<>();
        List<MonoLm> monos = new ArrayList<>();
        double t = 5;
        while (t < 3500) {
            LegSide side = rnd.nextBoolean() ? LegSide.LEFT : LegSide.RIGHT;
            double d = 0.6 + rnd.nextDouble() * (rnd.nextInt(10) == 0 ? 12 : 3);
            legs.add(leg(side, t, d));
            LegMovementEvent e = legs.get(legs.size() - 1);
            monos.add(new MonoLm(side, org.hypnostream.common.time.Micros.of(e.onset()), org.hypnostream.common.time.Micros.of(e.offset())));
            t += d + (rnd.nextInt(4) == 0 ? 0.2 : 5 + rnd.nextDouble() * 40);
        }
        PlmRescore.Result r = PlmRescore.rescore("bed-1", List.of(), night(120, 120), legs, PlmConfig.defaults(), T0);
        PlmBatch.Summary b = PlmBatch.summarise(monos, PlmRuleSet.WASM2016, 1.0);
        assertThat(b.plmCount()).as("a night with PLMs").isPositive();
        assertThat(r.indices().lmCount()).isEqualTo(b.lmCount());
        assertThat(r.indices().plmCount()).isEqualTo(b.plmCount());
        assertThat(r.indices().periodicityIndex()).isEqualTo(b.periodicityIndex());
    }
}
