package org.hypnostream.inference.stage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hypnostream.common.data.SharedData;
import org.hypnostream.common.event.JsonCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parity: the Java scoring path over real nights gives the same per-night confusion matrices (hence the same
 * accuracy, macro-F1 and kappa) as the Python report's final-model figures (training/stager/report.json,
 * {@code final_in_sample.per_night}), which were computed with PyTorch and the numpy HMM.
 */
class StagerEvaluationTest {
    private static final List<String> NIGHTS = List.of("SC4001", "SC4002", "SC4362");
    private static final Path REPORT = Path.of("..", "training", "stager", "report.json");

    @Test
    void javaEvaluationEqualsPythonReportOnSharedNights(@TempDir Path dir) throws Exception {
        Path shared = SharedData.data("sleep-edf-sc-features");
        for (String n : NIGHTS) {
            Files.createSymbolicLink(dir.resolve(n + ".npz"), shared.resolve(n + ".npz"));
        }
        Files.write(dir.resolve("SC4999.npz"), new byte[] {1, 2, 3});
        Files.writeString(dir.resolve("notes.txt"), "not a night");

        JsonNode report = JsonCodec.mapper().readTree(REPORT.toFile());
        assertThat(report.get("sha256").asText()).isEqualTo(StagerFixtures.stager().modelSha256());
        Map<String, JsonNode> python = new HashMap<>();
        report.get("final_in_sample").get("per_night").forEach(n -> python.put(n.get("night").asText(), n));

        StagerEvaluation.Report java = StagerEvaluation.evaluate(StagerFixtures.stager(), dir);
        assertThat(java.nights()).extracting(StagerEvaluation.Night::name).containsExactlyElementsOf(NIGHTS);
        assertThat(java.skipped()).singleElement().asString().startsWith("SC4999.npz");
        StagerMetrics expected = new StagerMetrics();
        for (StagerEvaluation.Night n : java.nights()) {
            JsonNode p = python.get(n.name());
            for (int i = 0; i < 5; i++) {
                for (int j = 0; j < 5; j++) {
                    assertThat(n.all().confusion[i][j]).as(n.name() + " confusion " + i + "," + j)
                            .isEqualTo(p.get("confusion").get(i).get(j).asLong());
                    expected.confusion[i][j] += p.get("confusion").get(i).get(j).asLong();
                }
                assertThat(n.all().unscored[i]).isEqualTo(p.get("unscored").get(i).asLong());
                expected.unscored[i] += p.get("unscored").get(i).asLong();
            }
            assertThat(n.all().epochs()).isEqualTo(p.get("epochs").asLong());
            assertThat(n.all().kappa()).isCloseTo(p.get("kappa").asDouble(), org.assertj.core.data.Offset.offset(1e-12));
        }

        JsonNode out = JsonCodec.mapper().readTree(StagerEvaluation.run(dir, StagerFixtures.cardFile(), true));
        assertThat(out.get("nights").asInt()).isEqualTo(3);
        assertThat(out.get("epochs").asLong()).isEqualTo(expected.epochs());
        assertThat(out.get("accuracy").asDouble()).isEqualTo(expected.accuracy());
        assertThat(out.get("kappa").asDouble()).isEqualTo(expected.kappa());
        assertThat(out.get("macro_f1").asDouble()).isEqualTo(expected.macroF1());
        assertThat(out.get("per_class_f1").size()).isEqualTo(5);
        assertThat(out.get("confusion").size()).isEqualTo(5);
        assertThat(out.has("near_transition")).isTrue();
        assertThat(out.has("per_night_kappa")).isTrue();

        String text = StagerEvaluation.run(dir, StagerFixtures.cardFile(), false);
        assertThat(text).contains("3 nights").contains("kappa").contains("skipped SC4999.npz");
    }

    @Test
    void metricsMatchHandComputedValues() {
        StagerMetrics m = new StagerMetrics();
        int[][] pairs = {{0, 0}, {0, 0}, {1, 2}, {2, 2}, {3, 3}, {4, 4}, {4, 0}, {2, -1}};
        for (int[] p : pairs) {
            m.add(p[0], p[1], 0.9);
        }
        m.add(-1, 3, 0.9);
        assertThat(m.epochs()).isEqualTo(8);
        assertThat(m.accuracy()).isEqualTo(5.0 / 8);
        // expert totals W2 N1 1 N2 2 N3 1 REM 2; predicted W3 N1 0 N2 2 N3 1 REM 1
        double pe = (2 * 3 + 0 + 2 * 2 + 1 + 2 * 1) / 64.0;
        assertThat(m.kappa()).isCloseTo((5.0 / 8 - pe) / (1 - pe), org.assertj.core.data.Offset.offset(1e-15));
        assertThat(m.perClassF1()[0]).isCloseTo(2.0 * 2 / 5, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(m.perClassF1()[1]).isZero();
        boolean[] near = StagerMetrics.nearTransition(new int[] {0, 0, 0, 0, 0, 2, 2, 2, 2, 2, -1, 3});
        assertThat(near).containsExactly(false, false, true, true, true, true, true, true, false, false, false, false);
    }
}
