package org.hypnostream.inference.stage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.hypnostream.common.data.SharedData;
import org.hypnostream.common.event.JsonCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parity of stager v3: {@code evaluate stager} (live) and {@code evaluate stager --revised} over real nights give the
 * same per-night confusion matrices as the Python report's final model (training/stager/report-v3.json, {@code
 * final_in_sample.live|revised.per_night}, computed with PyTorch and the numpy chain), and the JSON carries the ECE.
 */
class SequenceEvaluationTest {
    private static final List<String> NIGHTS = List.of("SC4001", "SC4002", "SC4362");
    private static final Path REPORT = Path.of("..", "training", "stager", "report-v3.json");

    @Test
    void liveAndRevisedEvaluationEqualPythonReportOnSharedNights(@TempDir Path dir) throws Exception {
        Path shared = SharedData.data("sleep-edf-sc-features");
        for (String n : NIGHTS) {
            Files.createSymbolicLink(dir.resolve(n + ".npz"), shared.resolve(n + ".npz"));
        }
        JsonNode report = JsonCodec.mapper().readTree(REPORT.toFile());
        SequenceStager s = SequenceFixtures.stager();
        assertThat(report.get("sha256").asText()).isEqualTo(s.modelSha256());
        for (String mode : new String[] {"live", "revised"}) {
            boolean revised = mode.equals("revised");
            Map<String, JsonNode> python = new HashMap<>();
            report.get("final_in_sample").get(mode).get("per_night").forEach(n -> python.put(n.get("night").asText(), n));
            StagerEvaluation.Report java = StagerEvaluation.evaluate(s, dir, revised);
            assertThat(java.nights()).extracting(StagerEvaluation.Night::name).containsExactlyElementsOf(NIGHTS);
            for (StagerEvaluation.Night n : java.nights()) {
                JsonNode p = python.get(n.name());
                for (int i = 0; i < 5; i++) {
                    for (int j = 0; j < 5; j++) {
                        assertThat(n.all().confusion[i][j]).as("%s %s confusion %d,%d", mode, n.name(), i, j)
                                .isEqualTo(p.get("confusion").get(i).get(j).asLong());
                    }
                    assertThat(n.all().unscored[i]).isEqualTo(p.get("unscored").get(i).asLong());
                }
                assertThat(n.all().kappa()).isCloseTo(p.get("kappa").asDouble(), Offset.offset(1e-12));
            }
            JsonNode out = JsonCodec.mapper().readTree(StagerEvaluation.run(dir, SequenceFixtures.cardFile(), true,
                    revised));
            assertThat(out.get("revised").asBoolean()).isEqualTo(revised);
            assertThat(out.get("ece").asDouble()).isBetween(0.0, 1.0);
            assertThat(out.get("kappa").asDouble()).isEqualTo(java.total(0).kappa());
            assertThat(out.has("after_absent")).isTrue();
        }
    }
}
