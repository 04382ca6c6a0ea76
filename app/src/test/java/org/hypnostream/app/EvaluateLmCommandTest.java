package org.hypnostream.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.hypnostream.common.data.SharedData;
import org.hypnostream.common.event.JsonCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code evaluate lm} on the real 2-minute Nox A1 leg EMG (stored in 31.25 uV steps: too coarse to score). */
class EvaluateLmCommandTest {

    @TempDir
    Path dir;

    private static String run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            int rc = new CommandLine(new HypnostreamMain()).execute(args);
            assertThat(rc).as("exit code").isZero();
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void realNoxLegEmgRunsThroughAndReportsWhyItCannotBeScored() throws Exception {
        Path csv = dir.resolve("scored.csv");
        Files.writeString(csv, "onset_s,duration_s,side\n10.0,2.0,L\n40.5,1.5,R\n");
        String out = run("evaluate", "lm", "--edf",
                SharedData.data("snippets", "rsleep_subject1_NoxA1_2min_legEMG.edf").toString(),
                "--events", csv.toString(), "--json");
        JsonNode j = JsonCodec.mapper().readTree(out.trim());
        assertThat(j.get("scored").asInt()).isEqualTo(2);
        assertThat(j.get("found").asInt()).isZero();
        assertThat(j.get("recall").asDouble()).isZero();
        assertThat(j.get("plm_count_found").asLong()).isZero();
        assertThat(j.get("plm_count_expected").asLong()).isZero();
        assertThat(j.get("recording_hours").asDouble()).isEqualTo(120.0 / 3600.0);
        assertThat(j.get("channel_problems").toString()).contains("COARSE");
    }

    @Test
    void badCsvLinesAreNamed() throws Exception {
        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, "onset_s,duration_s,side\n10.0,2.0,X\n");
        CommandLine cli = new CommandLine(new HypnostreamMain());
        java.io.StringWriter err = new java.io.StringWriter();
        cli.setErr(new java.io.PrintWriter(err));
        int rc = cli.execute("evaluate", "lm", "--edf",
                SharedData.data("snippets", "rsleep_subject1_NoxA1_2min_legEMG.edf").toString(), "--events", csv.toString());
        assertThat(rc).isNotZero();
        assertThat(err.toString()).contains("bad.csv line 2").contains("side L or R");
    }
}
