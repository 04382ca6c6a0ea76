package org.hypnostream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.hypnostream.common.data.SharedData;
import org.hypnostream.common.event.JsonCodec;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code evaluate emg} over all 374 real N2001 recordings (WFDB reader of ingest + screening of inference) gives the
 * figures the Python training report computed for the same model on the same records.
 */
class EvaluateEmgCommandIT {
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

    @Test
    void javaFiguresEqualThePythonReportForTheShippedModel() throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        int rc;
        try {
            rc = new CommandLine(new HypnostreamMain()).execute("evaluate", "emg", "--wfdb",
                    SharedData.data("emglab-n2001").toString(), "--model",
                    ROOT.resolve("models/emg-alsnet-v2.model.json").toString(), "--json");
        } finally {
            System.setOut(old);
        }
        assertThat(rc).isZero();
        String out = buf.toString(StandardCharsets.UTF_8).trim();
        JsonNode java = JsonCodec.mapper().readTree(out.substring(out.lastIndexOf("\n") + 1));
        JsonNode python = JsonCodec.mapper().readTree(ROOT.resolve("training/emg/report.json").toFile())
                .get("final_model_on_training_records");
        for (String k : new String[] {"recording_accuracy_als_vs_normal", "window_accuracy_als_vs_normal", "sensitivity",
            "specificity", "macro_f1_3class"}) {
            assertThat(java.get(k).asDouble()).as(k).isCloseTo(python.get(k).asDouble(), within(1e-9));
        }
        assertThat(java.get("recordings").asInt()).isEqualTo(374);
        System.out.println("evaluate emg: " + java.get("recording_accuracy_als_vs_normal") + " per recording, "
                + java.get("window_accuracy_als_vs_normal") + " per window (in-sample; CV figures are in training/emg/report.md)");
    }
}
