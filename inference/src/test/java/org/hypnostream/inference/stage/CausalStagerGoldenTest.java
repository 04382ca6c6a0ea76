package org.hypnostream.inference.stage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.hypnostream.common.event.JsonCodec;
import org.hypnostream.common.event.Stage;
import org.junit.jupiter.api.Test;

/**
 * Golden vectors written by training/stager/train.py: 60 real epochs of SC4001 (with absent-feature epochs; inputs
 * = the 105 features and the 15 welch_rel powers of present epochs), scored
 * as one session by PyTorch + the numpy HMM. Java ONNX Runtime + {@link HmmFilter} must give the same posteriors
 * (|diff| <= 1e-5) and the same stages, epoch by epoch and in one batch.
 */
class CausalStagerGoldenTest {

    @Test
    void javaOnnxAndHmmReproducePythonPosteriors() throws Exception {
        JsonNode golden;
        try (InputStream in = getClass().getResourceAsStream("/stager/golden.json")) {
            golden = JsonCodec.mapper().readTree(in);
        }
        CausalStager stager = StagerFixtures.stager();
        assertThat(golden.get("model").asText()).isEqualTo(stager.modelId());
        JsonNode rows = golden.get("rows");
        assertThat(rows.size()).isEqualTo(60);
        StageScorer.BedState one = stager.newState();
        List<float[]> features = new ArrayList<>();
        int absent = 0;
        for (int i = 0; i < rows.size(); i++) {
            JsonNode r = rows.get(i);
            float[] f = StagerFixtures.row(r);
            if (f == null) {
                absent++;
            }
            features.add(f);
            StageResult res = stager.scoreFeatures(one, i, f, "absent in golden");
            int expected = r.get("predicted").asInt();
            if (expected < 0) {
                assertThat(res.stage()).as("epoch " + i).isEqualTo(Stage.UNSCORED);
                continue;
            }
            assertThat(res.stage()).as("epoch " + i).isEqualTo(Stage.SCORED.get(expected));
            assertThat(res.fromPriorOnly()).as("epoch " + i).isEqualTo(f == null);
            for (int k = 0; k < 5; k++) {
                assertThat(res.probabilities().get(k)).as("epoch " + i + " class " + k)
                        .isCloseTo(r.get("posterior").get(k).asDouble(), org.assertj.core.data.Offset.offset(1e-5));
            }
        }
        assertThat(absent).isGreaterThanOrEqualTo(4);
        assertThat(one.lastEpochIndex()).isEqualTo(59);

        List<StageResult> batch = stager.scoreFeatureSequence(stager.newState(), 0,
                features.toArray(new float[0][]), "absent in golden");
        for (int i = 0; i < rows.size(); i++) {
            JsonNode post = rows.get(i).get("posterior");
            if (batch.get(i).stage() == Stage.UNSCORED) {
                continue;
            }
            for (int k = 0; k < 5; k++) {
                assertThat(batch.get(i).probabilities().get(k)).as("batched epoch " + i)
                        .isCloseTo(post.get(k).asDouble(), org.assertj.core.data.Offset.offset(1e-5));
            }
        }
    }
}
