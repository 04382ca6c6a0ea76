package org.hypnostream.inference.stage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.assertj.core.data.Offset;
import org.hypnostream.common.event.Stage;
import org.junit.jupiter.api.Test;

/**
 * Golden vectors of stager v3 written by training/stager/export_seq.py: 60 real epochs of SC4001 with absent-feature
 * epochs, scored as one session by PyTorch + the numpy chain. Java ONNX Runtime + {@link SequenceChain} / {@link
 * MorningRescore} must give the same live and revised posteriors (|diff| <= 1e-5) and the same stages, epoch by epoch
 * and in one batch.
 */
class SequenceStagerGoldenTest {
    private static final Offset<Double> TOL = Offset.offset(1e-5);

    @Test
    void liveScoringReproducesPythonEpochByEpochAndInOneBatch() throws Exception {
        SequenceStager s = SequenceFixtures.stager();
        JsonNode golden = SequenceFixtures.golden();
        assertThat(golden.get("model").asText()).isEqualTo(s.modelId());
        JsonNode rows = golden.get("rows");
        float[][] in = SequenceFixtures.rows();
        StageScorer.BedState one = s.newState();
        int absent = 0;
        for (int i = 0; i < in.length; i++) {
            StageResult r = s.scoreFeatureSequence(one, i, new float[][] {in[i]}, "absent in golden").get(0);
            absent += SequenceFixtures.present(in[i]) ? 0 : 1;
            assertMatches(r, rows.get(i), "posterior", "predicted", i);
            if (r.stage() != Stage.UNSCORED) {
                assertThat(r.fromPriorOnly()).as("epoch %d", i).isEqualTo(!SequenceFixtures.present(in[i]));
            }
        }
        assertThat(absent).isGreaterThanOrEqualTo(4);
        List<StageResult> batch = s.scoreFeatureSequence(s.newState(), 0, in, "absent in golden");
        for (int i = 0; i < in.length; i++) {
            assertMatches(batch.get(i), rows.get(i), "posterior", "predicted", i);
        }
    }

    @Test
    void morningRescoreReproducesPython() throws Exception {
        SequenceStager s = SequenceFixtures.stager();
        JsonNode rows = SequenceFixtures.golden().get("rows");
        List<StageResult> revised = s.reviseFeatureSequence(SequenceFixtures.rows(), "absent in golden");
        List<StageResult> live = s.scoreFeatureSequence(s.newState(), 0, SequenceFixtures.rows(), "absent in golden");
        int differ = 0;
        for (int i = 0; i < revised.size(); i++) {
            assertMatches(revised.get(i), rows.get(i), "revised", "revised_predicted", i);
            differ += revised.get(i).probabilities().equals(live.get(i).probabilities()) ? 0 : 1;
        }
        assertThat(revised).hasSize(rows.size());
        assertThat(differ).as("the re-score is not the live posterior").isGreaterThan(rows.size() / 2);
    }

    private static void assertMatches(StageResult r, JsonNode g, String post, String pred, int i) {
        int expected = g.get(pred).asInt();
        if (expected < 0) {
            assertThat(r.stage()).as("epoch %d", i).isEqualTo(Stage.UNSCORED);
            return;
        }
        assertThat(r.stage()).as("epoch %d", i).isEqualTo(Stage.SCORED.get(expected));
        for (int k = 0; k < 5; k++) {
            assertThat(r.probabilities().get(k)).as("epoch %d class %d", i, k)
                    .isCloseTo(g.get(post).get(k).asDouble(), TOL);
        }
    }
}
