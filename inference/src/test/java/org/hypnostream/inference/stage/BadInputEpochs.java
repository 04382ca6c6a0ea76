package org.hypnostream.inference.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.assertj.core.data.Offset;
import org.hypnostream.common.event.Stage;
import org.hypnostream.common.wire.Epoch;
import org.hypnostream.common.wire.QualityFlag;
import org.hypnostream.testkit.TestEdf;

/** The bad-input stager tests' epochs (the SC4001E0 snippet) and checks, for any {@link StageScorer}. */
final class BadInputEpochs {
    static final List<String> LABELS = List.of("Fpz-Cz", "Pz-Oz", "EOG");
    private final float[][][] epochs;

    BadInputEpochs() throws Exception {
        epochs = TestEdf.snippetEpochs();
    }

    static Epoch epoch(String bed, int index, float[][] samples, List<String> labels, Set<QualityFlag> q) {
        return new Epoch(bed, index, 0, 100, labels, samples, q, 0);
    }

    /** A copy of the snippet's epoch {@code e}, free to damage. */
    float[][] copy(int e) {
        float[][] c = new float[3][];
        for (int i = 0; i < 3; i++) {
            c[i] = epochs[e][i].clone();
        }
        return c;
    }

    static StageResult one(StageScorer s, StageScorer.BedState st, Epoch e) {
        return s.scoreBatch(List.of(st), List.of(e)).get(0);
    }

    static void assertPriorOnly(StageResult r, String reason) {
        assertThat(r.fromPriorOnly()).as(reason).isTrue();
        assertThat(r.reason()).contains(reason);
        assertThat(r.stage()).isNotEqualTo(Stage.UNSCORED);
        assertThat(r.probabilities()).hasSize(5);
    }

    /** Epoch 0 of bed-1, flat on Pz-Oz and the bed's first: UNSCORED, flagged FLAT. */
    void assertFlatFirstEpochUnscored(StageScorer s, StageScorer.BedState st) {
        float[][] flat = copy(0);
        Arrays.fill(flat[1], 3.0f);
        StageResult r0 = one(s, st, epoch("bed-1", 0, flat, LABELS, Set.of()));
        assertThat(r0.stage()).isEqualTo(Stage.UNSCORED);
        assertThat(r0.probabilities()).isEmpty();
        assertThat(r0.reason()).contains("FLAT on Pz-Oz").contains("no prior epoch");
        assertThat(r0.quality()).containsExactly(QualityFlag.FLAT);
    }

    /** Epochs 1 to 3 of bed-1, clean: scored from their own data. */
    void assertCleanEpochsScored(StageScorer s, StageScorer.BedState st) {
        for (int e = 1; e <= 3; e++) {
            StageResult ok = one(s, st, epoch("bed-1", e, copy(e), LABELS, Set.of()));
            assertThat(ok.fromPriorOnly()).isFalse();
            assertThat(ok.reason()).isNull();
            assertThat(ok.stage()).isNotEqualTo(Stage.UNSCORED);
            assertThat(ok.probabilities().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0,
                    Offset.offset(1e-9));
        }
    }

    /** Epochs 4 to 7 of bed-1, damaged (NaN, a missing channel, a gap, clipped): predicted from prior epochs only. */
    void assertDamagedEpochsPriorOnly(StageScorer s, StageScorer.BedState st) {
        float[][] nan = copy(4);
        nan[0][100] = Float.NaN;
        assertPriorOnly(one(s, st, epoch("bed-1", 4, nan, LABELS, Set.of())), "NAN on Fpz-Cz");
        float[][] two = {epochs[5][0], epochs[5][1]};
        assertPriorOnly(one(s, st, epoch("bed-1", 5, two, List.of("Fpz-Cz", "Pz-Oz"), Set.of())),
                "MISSING_CHANNEL EOG");
        StageResult gap = one(s, st, epoch("bed-1", 6, copy(6), LABELS, Set.of(QualityFlag.GAP)));
        assertPriorOnly(gap, "GAP");
        assertThat(gap.quality()).containsExactly(QualityFlag.GAP);
        float[][] clipped = copy(7);
        for (int i = 0; i < 3000; i += 10) {
            clipped[2][i] = 1009f;
        }
        assertPriorOnly(one(s, st, epoch("bed-1", 7, clipped, LABELS, Set.of())), "CLIPPED on EOG");
    }

    /** Epoch 8 of bed-1 never arrives; epoch 9 is scored from its own data, and given again it is refused. */
    void assertScoredAfterAMissingEpochAndRepeatRefused(StageScorer s, StageScorer.BedState st) {
        StageResult r9 = one(s, st, epoch("bed-1", 9, copy(9), LABELS, Set.of()));
        assertThat(r9.fromPriorOnly()).isFalse();
        assertThat(st.lastEpochIndex()).isEqualTo(9);
        assertThatThrownBy(() -> one(s, st, epoch("bed-1", 9, copy(9), LABELS, Set.of())))
                .hasMessageContaining("index order");
        assertThat(st.lastEpochIndex()).isEqualTo(9);
    }

    /** Two beds scored in one batch, epoch by epoch, give what each gives scored alone. */
    void assertBatchOfSeveralBedsEqualsScoringEachAlone(StageScorer s) {
        StageScorer.BedState a = s.newState();
        StageScorer.BedState b = s.newState();
        StageScorer.BedState a1 = s.newState();
        StageScorer.BedState b1 = s.newState();
        for (int e = 0; e < 4; e++) {
            List<StageResult> both = s.scoreBatch(List.of(a, b), List.of(
                    epoch("A", e, copy(e), LABELS, Set.of()), epoch("B", e, copy(9 - e), LABELS, Set.of())));
            StageResult ra = one(s, a1, epoch("A", e, copy(e), LABELS, Set.of()));
            StageResult rb = one(s, b1, epoch("B", e, copy(9 - e), LABELS, Set.of()));
            assertThat(both.get(0).stage()).isEqualTo(ra.stage());
            assertThat(both.get(1).stage()).isEqualTo(rb.stage());
            for (int k = 0; k < 5; k++) {
                assertThat(both.get(0).probabilities().get(k)).isCloseTo(ra.probabilities().get(k), Offset.offset(1e-6));
                assertThat(both.get(1).probabilities().get(k)).isCloseTo(rb.probabilities().get(k), Offset.offset(1e-6));
            }
        }
    }
}
