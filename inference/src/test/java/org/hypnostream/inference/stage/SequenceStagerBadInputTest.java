package org.hypnostream.inference.stage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real epochs of the SC4001E0 snippet through the whole v3 Java path (features + causal Welch -> ONNX GRU window ->
 * chain), with damaged epochs: never scored from garbage; UNSCORED without a prior present epoch, else predicted from
 * it only, with the reason; a damaged epoch never advances the bed's window or alpha.
 */
class SequenceStagerBadInputTest {
    private static BadInputEpochs data;

    @BeforeAll
    static void load() throws Exception {
        data = new BadInputEpochs();
    }

    @Test
    void damagedEpochsAreUnscoredOrPredictedFromPriorOnlyAndNeverAdvanceTheWindow() throws Exception {
        SequenceStager s = SequenceFixtures.stager();
        SequenceBedState st = (SequenceBedState) s.newState();

        data.assertFlatFirstEpochUnscored(s, st);
        assertThat(st.alpha).isNull();
        assertThat(st.past[st.past.length - 1]).containsOnly(0f);

        data.assertCleanEpochsScored(s, st);
        float[][] pastBefore = st.pastCopy();
        double[] alphaBefore = st.alpha.clone();

        data.assertDamagedEpochsPriorOnly(s, st);
        assertThat(st.pastCopy()).as("the window is not advanced by garbage").isDeepEqualTo(pastBefore);
        assertThat(st.alpha).as("nor is alpha").containsExactly(alphaBefore);

        // epoch 8 never arrives; epoch 9 is scored from its own data again
        data.assertScoredAfterAMissingEpochAndRepeatRefused(s, st);
    }

    @Test
    void batchOfSeveralBedsEqualsScoringEachAlone() throws Exception {
        data.assertBatchOfSeveralBedsEqualsScoringEachAlone(SequenceFixtures.stager());
    }
}
