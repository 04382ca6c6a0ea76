package org.hypnostream.inference.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hypnostream.inference.stage.BadInputEpochs.LABELS;
import static org.hypnostream.inference.stage.BadInputEpochs.epoch;
import static org.hypnostream.inference.stage.BadInputEpochs.one;

import java.util.Set;
import org.hypnostream.common.wire.QualityFlag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real epochs of the SC4001E0 snippet through the whole Java path (features -> ONNX -> HMM), with damaged epochs:
 * never scored from garbage features; UNSCORED without prior context, else predicted from prior epochs only, with
 * the reason.
 */
class CausalStagerBadInputTest {
    private static BadInputEpochs data;

    @BeforeAll
    static void load() throws Exception {
        data = new BadInputEpochs();
    }

    @Test
    void damagedEpochsAreUnscoredOrPredictedFromPriorOnlyWithTheReason() throws Exception {
        CausalStager s = StagerFixtures.stager();
        StageScorer.BedState st = s.newState();

        data.assertFlatFirstEpochUnscored(s, st);
        data.assertCleanEpochsScored(s, st);
        data.assertDamagedEpochsPriorOnly(s, st);
        // epoch 8 never arrives: bridged with a prediction step; epoch 9 is scored from its own data again
        data.assertScoredAfterAMissingEpochAndRepeatRefused(s, st);
    }

    @Test
    void priorOnlyEpochEqualsTheHmmPredictionOfThePreviousPosterior() throws Exception {
        CausalStager s = StagerFixtures.stager();
        StageScorer.BedState st = s.newState();
        StageResult first = one(s, st, epoch("bed-2", 0, data.copy(0), LABELS, Set.of()));
        StageResult next = one(s, st, epoch("bed-2", 1, data.copy(1), LABELS, Set.of(QualityFlag.PARTIAL)));
        HmmFilter hmm = HmmFilter.fromCard(StagerEvaluation.readCard(StagerFixtures.cardFile()).causalContext(),
                "x");
        double[] expected = hmm.predict(first.probabilities().stream().mapToDouble(Double::doubleValue).toArray());
        for (int k = 0; k < 5; k++) {
            assertThat(next.probabilities().get(k)).isCloseTo(expected[k], org.assertj.core.data.Offset.offset(1e-12));
        }
    }

    @Test
    void batchOfSeveralBedsEqualsScoringEachAlone() throws Exception {
        data.assertBatchOfSeveralBedsEqualsScoringEachAlone(StagerFixtures.stager());
    }
}
