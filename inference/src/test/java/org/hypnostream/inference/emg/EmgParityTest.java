package org.hypnostream.inference.emg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.hypnostream.common.event.JsonCodec;
import org.junit.jupiter.api.Test;

/**
 * The Java evaluation path on real N2001 recordings (read from ../shared/data) reproduces the Python report of the
 * same (final) model on the same recordings: window probabilities within 1e-5, identical verdicts and metrics.
 */
class EmgParityTest {

    @Test
    void javaEvaluationEqualsPythonOnTheSameRecords() throws Exception {
        JsonNode parity;
        try (InputStream in = getClass().getResourceAsStream("/emg/parity.json")) {
            parity = JsonCodec.mapper().readTree(in);
        }
        List<EmgEvaluation.LabelledRecording> recs = new ArrayList<>();
        for (JsonNode r : parity.get("records")) {
            N2001TestRecords.Loaded loaded = N2001TestRecords.read(r.get("name").asText());
            String label = EmgClasses.labelOf(loaded.name(), loaded.comments());
            assertThat(label).isEqualTo(r.get("label").asText());
            recs.add(new EmgEvaluation.LabelledRecording(loaded.name(), label, loaded.samples(), loaded.rateHz()));
        }
        EmgEvaluation.Report report;
        try (EmgScreeningModel model = EmgScreeningModel.load(EmgModelFixture.card())) {
            report = EmgEvaluation.evaluate(model, recs);
        }
        assertThat(report.skipped()).isEmpty();
        assertThat(report.recordings()).hasSize(parity.get("records").size());
        for (int i = 0; i < report.recordings().size(); i++) {
            EmgEvaluation.RecordingResult got = report.recordings().get(i);
            JsonNode want = parity.get("records").get(i).get("window_probabilities");
            assertThat(got.windowProbabilities()).hasNumberOfRows(want.size());
            for (int w = 0; w < want.size(); w++) {
                for (int c = 0; c < 3; c++) {
                    assertThat((double) got.windowProbabilities()[w][c]).as("%s window %d class %d", got.name(), w, c)
                            .isCloseTo(want.get(w).get(c).asDouble(), within(1e-5));
                }
            }
        }
        JsonNode py = parity.get("metrics");
        JsonNode java = JsonCodec.mapper().readTree(report.toJson());
        for (String key : List.of("recording_accuracy_als_vs_normal", "window_accuracy_als_vs_normal", "sensitivity",
                "specificity", "balanced_accuracy", "window_sensitivity", "window_specificity", "window_balanced_accuracy",
                "macro_f1_3class", "window_macro_f1_3class", "recordings", "windows")) {
            assertThat(java.get(key).asDouble()).as(key).isCloseTo(py.get(key).asDouble(), within(1e-12));
        }
        assertThat(java.get("per_recording")).hasSize(recs.size());
    }
}
