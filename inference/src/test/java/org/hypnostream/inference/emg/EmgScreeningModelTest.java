package org.hypnostream.inference.emg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hypnostream.common.event.JsonCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading refuses a card that disagrees with its graph; bad input gives an error naming the problem. */
class EmgScreeningModelTest {
    @TempDir
    Path tmp;

    private Path copyWith(java.util.function.Consumer<ObjectNode> edit) throws Exception {
        Path card = EmgModelFixture.card();
        ObjectNode json = (ObjectNode) JsonCodec.mapper().readTree(Files.readAllBytes(card));
        Files.copy(card.resolveSibling(json.get("onnx").asText()), tmp.resolve(json.get("onnx").asText()));
        edit.accept(json);
        Path out = tmp.resolve("edited.model.json");
        Files.writeString(out, JsonCodec.toJson(json));
        return out;
    }

    @Test
    void refusesWrongSha256() throws Exception {
        Path card = copyWith(j -> j.put("sha256", "00".repeat(32)));
        assertThatThrownBy(() -> EmgScreeningModel.load(card)).hasMessageContaining("sha256").hasMessageContaining("emg-alsnet-v2");
    }

    @Test
    void refusesWrongTask() throws Exception {
        Path card = copyWith(j -> j.put("task", "sleep-staging"));
        assertThatThrownBy(() -> EmgScreeningModel.load(card)).hasMessageContaining("task is sleep-staging");
    }

    @Test
    void refusesCardShapeThatDisagreesWithGraph() throws Exception {
        Path card = copyWith(j -> ((ArrayNode) j.get("inputs").get(0).get("shape")).set(1, 1000));
        assertThatThrownBy(() -> EmgScreeningModel.load(card)).hasMessageContaining("has shape").hasMessageContaining("card says");
    }

    @Test
    void windowsScoringAndEvaluationEdges() {
        try (EmgScreeningModel model = EmgScreeningModel.load(EmgModelFixture.card())) {
            int w = model.windowSamples();
            float[] rec = new float[2 * w + 100];
            for (int i = 0; i < rec.length; i++) {
                rec[i] = (float) (30 * Math.sin(i * 0.05) + (i % 97 == 0 ? 400 : 0));
            }
            float[][] windows = model.windowsOf(rec);
            assertThat(windows).hasNumberOfRows(2);
            assertThat(windows[1][0]).isEqualTo(rec[w]);
            float[][] probs = model.score(windows);
            for (float[] p : probs) {
                assertThat(p[0] + p[1] + p[2]).isBetween(0.999f, 1.001f);
            }
            assertThatThrownBy(() -> model.score(new float[][] {new float[w - 1]}))
                    .hasMessageContaining("window 0").hasMessageContaining("expected " + w);

            EmgEvaluation.Report report = EmgEvaluation.evaluate(model, List.of(
                    new EmgEvaluation.LabelledRecording("ok", "control", rec, model.sampleRateHz()),
                    new EmgEvaluation.LabelledRecording("slow", "ALS", rec, 10_000),
                    new EmgEvaluation.LabelledRecording("short", "ALS", new float[w - 1], model.sampleRateHz())));
            assertThat(report.recordings()).extracting(EmgEvaluation.RecordingResult::name).containsExactly("ok");
            assertThat(report.recordings().get(0).label()).isEqualTo("normal");
            assertThat(report.skipped()).extracting(EmgEvaluation.Skipped::name).containsExactly("slow", "short");
            assertThat(report.skipped().get(0).reason()).contains("10000.0 Hz");
            assertThat(report.toText()).contains("skipped short");
            assertThat(report.toJson()).contains("\"recordings\":1").contains("\"windows\":2");
        }
    }

    @Test
    void labelsFromNamesAndHeaders() {
        assertThat(EmgClasses.labelOf("N2001A01BB01", List.of("diagnosis: ALS"))).isEqualTo("ALS");
        assertThat(EmgClasses.labelOf("N2001A03BB51", List.of("diagnosis: Mainly bulbar ALS"))).isEqualTo("ALS");
        assertThat(EmgClasses.labelOf("N2001C02BB51", List.of("diagnosis: healty controls"))).isEqualTo("normal");
        assertThat(EmgClasses.labelOf("N2001M02BB01", List.of("diagnosis: Polymyositis"))).isEqualTo("myopathy");
        assertThat(EmgClasses.subjectOf("N2001M02BB01")).isEqualTo("M02");
        assertThatThrownBy(() -> EmgClasses.labelOf("N2001C01BB01", List.of("diagnosis: ALS")))
                .hasMessageContaining("N2001C01BB01").hasMessageContaining("name says normal");
        assertThatThrownBy(() -> EmgClasses.labelOf("foo", List.of())).hasMessageContaining("record foo");
        assertThatThrownBy(() -> EmgClasses.index("cat")).hasMessageContaining("unknown EMG class 'cat'");
    }
}
