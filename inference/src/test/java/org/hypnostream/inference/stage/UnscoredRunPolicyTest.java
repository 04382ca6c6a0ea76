package org.hypnostream.inference.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.hypnostream.common.event.Alert;
import org.hypnostream.common.event.AlertPriority;
import org.hypnostream.common.event.AlertState;
import org.hypnostream.common.event.Stage;
import org.hypnostream.common.wire.QualityFlag;
import org.junit.jupiter.api.Test;

/** One test per rule of {@link UnscoredRunPolicy}; rule 2 (state never advanced by garbage) is in the *BadInputTests. */
class UnscoredRunPolicyTest {
    private static final Instant T0 = Instant.parse("2026-09-22T01:00:00Z");
    private static final long SESSION = 1_700_000_000_000_000L;
    private static final Set<QualityFlag> FLAT = Set.of(QualityFlag.FLAT);

    private static StageResult scored() {
        return new StageResult(Stage.N2, List.of(0.1, 0.1, 0.6, 0.1, 0.1), false, null, Set.of());
    }

    @Test
    void rule1EpochWithoutDataAndNoPriorIsUnscoredWithTheReason() {
        StageResult r = UnscoredRunPolicy.withoutData(null, "FLAT on Fpz-Cz", FLAT);
        assertThat(r.stage()).isEqualTo(Stage.UNSCORED);
        assertThat(r.probabilities()).isEmpty();
        assertThat(r.fromPriorOnly()).isFalse();
        assertThat(r.reason()).isEqualTo("FLAT on Fpz-Cz; no prior epoch to predict from");
        assertThat(r.quality()).containsExactly(QualityFlag.FLAT);
        assertThat(UnscoredRunPolicy.withoutData(null, null, Set.of()).reason())
                .isEqualTo("no features; no prior epoch to predict from");
    }

    @Test
    void rule1EpochWithoutDataAfterAPriorIsPredictedFromPriorOnly() {
        double[] predicted = {0.05, 0.1, 0.2, 0.15, 0.5};
        StageResult r = UnscoredRunPolicy.withoutData(predicted, "NAN on Pz-Oz", Set.of(QualityFlag.NAN));
        assertThat(r.stage()).isEqualTo(Stage.REM);
        assertThat(r.fromPriorOnly()).isTrue();
        assertThat(r.probabilities()).containsExactly(0.05, 0.1, 0.2, 0.15, 0.5);
        assertThat(r.reason()).isEqualTo("NAN on Pz-Oz");
        assertThat(UnscoredRunPolicy.withoutData(predicted, null, Set.of()).reason()).isEqualTo("no features");
    }

    @Test
    void rule3UnscoredAndPriorOnlyAreNotScoredWithAReasonAlways() {
        StageResult unscored = UnscoredRunPolicy.withoutData(null, "GAP flagged on the epoch", Set.of());
        StageResult priorOnly = UnscoredRunPolicy.withoutData(new double[] {1, 0, 0, 0, 0}, "CLIPPED on Fpz-Cz", Set.of());
        assertThat(UnscoredRunPolicy.notScored(unscored)).isTrue();
        assertThat(UnscoredRunPolicy.notScored(priorOnly)).isTrue();
        assertThat(UnscoredRunPolicy.notScored(scored())).isFalse();

        assertThat(UnscoredRunPolicy.reason(priorOnly, FLAT)).isEqualTo("CLIPPED on Fpz-Cz");
        assertThat(UnscoredRunPolicy.reason(scored(), FLAT)).as("a scored epoch carries no reason").isNull();
        StageResult silent = new StageResult(Stage.UNSCORED, List.of(), false, " ", Set.of());
        assertThat(UnscoredRunPolicy.reason(silent, FLAT)).isEqualTo("stager gave no reason; epoch quality [FLAT]");
        StageResult silentPrior = new StageResult(Stage.W, List.of(1.0, 0.0, 0.0, 0.0, 0.0), true, null, Set.of());
        assertThat(UnscoredRunPolicy.reason(silentPrior, Set.of())).isEqualTo("stager gave no reason; epoch quality []");
    }

    @Test
    void rule4ARunBelowTheThresholdRaisesNothing() {
        UnscoredRunPolicy p = new UnscoredRunPolicy(3);
        UnscoredRunPolicy.Step s1 = p.next(UnscoredRun.NONE, "bed-1", SESSION, 10, true, "FLAT on Fpz-Cz", T0);
        UnscoredRunPolicy.Step s2 = p.next(s1.run(), "bed-1", SESSION, 11, true, "NAN on Fpz-Cz", T0);
        assertThat(s1.alert()).isNull();
        assertThat(s2.alert()).isNull();
        assertThat(s2.run()).isEqualTo(new UnscoredRun(2, 10, "NAN on Fpz-Cz", null, null));
    }

    @Test
    void rule4TheRunReachingTheThresholdRaisesOneAlertAndTheNextScoredEpochClearsIt() {
        UnscoredRunPolicy p = new UnscoredRunPolicy(3);
        UnscoredRun run = UnscoredRun.NONE;
        for (long i = 10; i < 12; i++) {
            run = p.next(run, "bed-1", SESSION, i, true, "FLAT on Fpz-Cz", T0).run();
        }
        UnscoredRunPolicy.Step raised = p.next(run, "bed-1", SESSION, 12, true, "FLAT on Fpz-Cz", T0);
        Alert a = raised.alert();
        assertThat(a).isNotNull();
        assertThat(a.state()).isEqualTo(AlertState.ACTIVE);
        assertThat(a.alertId()).isEqualTo("bed-1/UNSCORED_PERSISTENT/" + SESSION + "/10");
        assertThat(a.code()).isEqualTo(UnscoredRunPolicy.ALERT_CODE);
        assertThat(a.priority()).isEqualTo(AlertPriority.MEDIUM);
        assertThat(a.physiological()).isFalse();
        assertThat(a.message()).isEqualTo("bed bed-1: 3 consecutive epochs not scored (epochs 10-12): FLAT on Fpz-Cz");
        assertThat(raised.run().alerting()).isTrue();

        UnscoredRunPolicy.Step longer = p.next(raised.run(), "bed-1", SESSION, 13, true, "FLAT on Fpz-Cz", T0.plusSeconds(30));
        assertThat(longer.alert()).as("one alert per run").isNull();
        assertThat(longer.run().length()).isEqualTo(4);

        Instant later = T0.plusSeconds(60);
        UnscoredRunPolicy.Step back = p.next(longer.run(), "bed-1", SESSION, 14, false, null, later);
        assertThat(back.alert().state()).isEqualTo(AlertState.CLEARED);
        assertThat(back.alert().alertId()).isEqualTo(a.alertId());
        assertThat(back.alert().raisedAt()).isEqualTo(T0);
        assertThat(back.alert().message()).isEqualTo("bed bed-1: scored again from epoch 14");
        assertThat(back.run().length()).isZero();
        assertThat(back.run().alerting()).isFalse();

        // a later run starts afresh, with its own alert id
        UnscoredRun again = back.run();
        UnscoredRunPolicy.Step last = null;
        for (long i = 20; i < 23; i++) {
            last = p.next(again, "bed-1", SESSION, i, true, "GAP flagged on the epoch", later);
            again = last.run();
        }
        assertThat(last.alert().alertId()).isEqualTo("bed-1/UNSCORED_PERSISTENT/" + SESSION + "/20");
    }

    @Test
    void rule4AScoredEpochWithoutAnOpenAlertEndsTheRunSilently() {
        UnscoredRunPolicy p = new UnscoredRunPolicy(3);
        UnscoredRun run = p.next(UnscoredRun.NONE, "bed-1", SESSION, 5, true, "FLAT on Fpz-Cz", T0).run();
        UnscoredRunPolicy.Step s = p.next(run, "bed-1", SESSION, 6, false, null, T0);
        assertThat(s.alert()).isNull();
        assertThat(s.run().length()).isZero();
        assertThat(p.next(UnscoredRun.NONE, "bed-1", SESSION, 0, false, null, T0).run()).isSameAs(UnscoredRun.NONE);
    }

    @Test
    void rule4AThresholdOfOneRaisesOnTheFirstEpochAndBelowOneIsRefused() {
        Alert a = new UnscoredRunPolicy(1).next(UnscoredRun.NONE, "bed-2", SESSION, 7, true, "PARTIAL", T0).alert();
        assertThat(a.state()).isEqualTo(AlertState.ACTIVE);
        assertThat(a.message()).contains("epochs 7-7");
        assertThatThrownBy(() -> new UnscoredRunPolicy(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("threshold 0 < 1");
        assertThatThrownBy(() -> new UnscoredRun(-1, 0, null, null, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rule5GaugesCountAlertingBedsAndTheLongestRun() {
        assertThat(UnscoredRunPolicy.gauges(List.of())).isEqualTo(new UnscoredRunPolicy.Gauges(0, 0));
        List<UnscoredRun> runs = List.of(new UnscoredRun(4, 1, "x", "id-a", T0), new UnscoredRun(2, 8, "y", null, null),
                new UnscoredRun(0, 3, "z", null, T0), new UnscoredRun(7, 0, "w", "id-b", T0));
        assertThat(UnscoredRunPolicy.gauges(runs)).isEqualTo(new UnscoredRunPolicy.Gauges(2, 7));
    }
}
