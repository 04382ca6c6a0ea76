package org.hypnostream.inference.stage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.hypnostream.common.wire.Epoch;
import org.hypnostream.inference.features.RelativeWelch;
import org.hypnostream.inference.features.SleepEdfFeatures;
import org.hypnostream.testkit.TestEdf;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The live path (scoreBatch on raw epochs) feeds the shipped model the same row the evaluation path takes: the 105
 * features and the relative Welch powers of the bed's causally filtered signal, the filter carried from epoch to
 * epoch, restarted after an unusable epoch, and snapshotted with the bed's state. Real epochs: the SC4001E0 snippet.
 */
class CausalStagerWelchLiveTest {
    private static final List<String> LABELS = List.of("Fpz-Cz", "Pz-Oz", "EOG");
    private static float[][][] epochs;

    @BeforeAll
    static void load() throws Exception {
        epochs = TestEdf.snippetEpochs();
    }

    private static Epoch epoch(int index, float[][] samples) {
        return new Epoch("bed-w", index, 0, 100, LABELS, samples, Set.of(), 0);
    }

    /** The row computed outside the stager: features + RelativeWelch with the given filter state. */
    private static float[] row(int e, RelativeWelch.State filter) {
        double[][] sig = SleepEdfFeatures.signals(epoch(e, epochs[e]));
        double[] f = new SleepEdfFeatures().compute(sig, "test");
        double[] w = new RelativeWelch().compute(sig, filter, e);
        float[] r = new float[f.length + w.length];
        for (int j = 0; j < f.length; j++) {
            r[j] = (float) f[j];
        }
        for (int j = 0; j < w.length; j++) {
            r[f.length + j] = (float) w[j];
        }
        return r;
    }

    private static void assertClose(StageResult a, StageResult b, String what) {
        assertThat(a.stage()).as(what).isEqualTo(b.stage());
        for (int k = 0; k < 5; k++) {
            assertThat(a.probabilities().get(k)).as(what + " class " + k)
                    .isCloseTo(b.probabilities().get(k), org.assertj.core.data.Offset.offset(1e-6));
        }
    }

    @Test
    void liveRowsAreFeaturesPlusCausallyFilteredWelchAndTheFilterStateIsSnapshotted() throws Exception {
        CausalStager s = StagerFixtures.stager();
        assertThat(s.usesWelch()).as("the default model takes the relative Welch powers").isTrue();
        assertThat(s.rowWidth()).isEqualTo(105 + RelativeWelch.WIDTH);

        RelativeWelch.State filter = new RelativeWelch.State();
        float[][] rows = new float[10][];
        for (int e = 0; e < 10; e++) {
            rows[e] = row(e, filter);
        }
        List<StageResult> expected = s.scoreFeatureSequence(s.newState(), 0, rows, "none");

        StageScorer.BedState live = s.newState();
        List<StageResult> got = new ArrayList<>();
        for (int e = 0; e < 5; e++) {
            got.add(s.scoreBatch(List.of(live), List.of(epoch(e, epochs[e]))).get(0));
        }
        byte[] saved = s.saveState(live);
        StagerBedState decoded = (StagerBedState) s.loadState(saved);
        assertThat(decoded.welch.lastIndex()).isEqualTo(4);
        assertThat(decoded.welch.sections()).isDeepEqualTo(((StagerBedState) live).welch.sections());
        StageScorer.BedState restored = s.loadState(saved);
        for (int e = 5; e < 10; e++) {
            StageResult a = s.scoreBatch(List.of(live), List.of(epoch(e, epochs[e]))).get(0);
            StageResult b = s.scoreBatch(List.of(restored), List.of(epoch(e, epochs[e]))).get(0);
            assertThat(b.probabilities()).as("restored, epoch %d, bit for bit", e).isEqualTo(a.probabilities());
            got.add(a);
        }
        assertThat(s.saveState(restored)).isEqualTo(s.saveState(live));
        for (int e = 0; e < 10; e++) {
            assertClose(got.get(e), expected.get(e), "epoch " + e);
        }
        // the carried filter matters: without it the saved state's Welch rows differ
        RelativeWelch.State fresh = new RelativeWelch.State();
        float[] restarted = row(5, fresh);
        double diff = 0;
        for (int j = 105; j < restarted.length; j++) {
            diff = Math.max(diff, Math.abs(restarted[j] - rows[5][j]));
        }
        assertThat(diff).isGreaterThan(1e-7);
    }

    @Test
    void anUnusableEpochRestartsTheFilterAtTheNextOne() throws Exception {
        CausalStager s = StagerFixtures.stager();
        StageScorer.BedState live = s.newState();
        for (int e = 0; e < 3; e++) {
            s.scoreBatch(List.of(live), List.of(epoch(e, epochs[e])));
        }
        float[][] bad = {epochs[3][0].clone(), epochs[3][1].clone(), epochs[3][2].clone()};
        bad[1][100] = Float.NaN;
        StageResult r3 = s.scoreBatch(List.of(live), List.of(epoch(3, bad))).get(0);
        assertThat(r3.fromPriorOnly()).isTrue();
        assertThat(((StagerBedState) live).welch.sections()).as("filter forgotten").isNull();
        StageResult r4 = s.scoreBatch(List.of(live), List.of(epoch(4, epochs[4]))).get(0);

        // expected: rows 0..2 with one carried filter, epoch 3 absent, epoch 4 with a filter restarted at epoch 4
        RelativeWelch.State f = new RelativeWelch.State();
        float[][] rows = {row(0, f), row(1, f), row(2, f), null, row(4, new RelativeWelch.State())};
        List<StageResult> expected = s.scoreFeatureSequence(s.newState(), 0, rows, "none");
        assertClose(r4, expected.get(4), "epoch 4 after the damaged epoch");
    }
}
