package org.hypnostream.inference.emg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hypnostream.common.event.JsonCodec;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * All 374 N2001 recordings through the Java path give exactly the figures training/emg/train.py reports for the
 * same final model on the same recordings (final_predictions.json): the check behind
 * {@code hypnostream evaluate emg --wfdb ../shared/data/emglab-n2001}. Slow (~1 min), hence an IT.
 */
class EmgFullParityIT {

    private static Path predictions() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path p = d.resolve("training").resolve("emg").resolve("final_predictions.json");
            if (Files.exists(p)) {
                return p;
            }
        }
        throw new IllegalStateException("training/emg/final_predictions.json not found");
    }

    @Test
    void everyRecordingMatchesThePythonReport() throws Exception {
        JsonNode py = JsonCodec.mapper().readTree(Files.readAllBytes(predictions()));
        List<EmgEvaluation.LabelledRecording> recs = new ArrayList<>();
        try (var files = Files.list(N2001TestRecords.dir())) {
            for (Path h : files.filter(f -> f.toString().endsWith(".hea")).sorted().toList()) {
                String name = h.getFileName().toString().replace(".hea", "");
                N2001TestRecords.Loaded r = N2001TestRecords.read(name);
                recs.add(new EmgEvaluation.LabelledRecording(name, EmgClasses.labelOf(name, r.comments()), r.samples(), r.rateHz()));
            }
        }
        EmgEvaluation.Report report;
        try (EmgScreeningModel model = EmgScreeningModel.load(EmgModelFixture.card())) {
            report = EmgEvaluation.evaluate(model, recs);
        }
        assertThat(report.recordings()).hasSize(py.get("records").size());
        for (int i = 0; i < report.recordings().size(); i++) {
            EmgEvaluation.RecordingResult got = report.recordings().get(i);
            JsonNode want = py.get("records").get(i);
            assertThat(got.name()).isEqualTo(want.get("name").asText());
            assertThat(got.label()).isEqualTo(want.get("label").asText());
            for (int w = 0; w < got.windowProbabilities().length; w++) {
                for (int c = 0; c < 3; c++) {
                    assertThat((double) got.windowProbabilities()[w][c]).as("%s window %d", got.name(), w)
                            .isCloseTo(want.get("window_probabilities").get(w).get(c).asDouble(), within(1e-5));
                }
            }
        }
        JsonNode java = JsonCodec.mapper().readTree(report.toJson());
        for (String key : List.of("recording_accuracy_als_vs_normal", "window_accuracy_als_vs_normal", "sensitivity",
                "specificity", "balanced_accuracy", "window_sensitivity", "window_specificity", "window_balanced_accuracy",
                "macro_f1_3class", "window_macro_f1_3class", "recordings", "windows")) {
            assertThat(java.get(key).asDouble()).as(key).isCloseTo(py.get("metrics").get(key).asDouble(), within(1e-12));
        }
        LoggerFactory.getLogger(EmgFullParityIT.class).info("Java evaluation of the final model:\n{}", report.toText());
    }
}
