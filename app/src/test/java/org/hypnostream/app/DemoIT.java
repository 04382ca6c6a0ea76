package org.hypnostream.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import org.hypnostream.common.event.JsonCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole system in one JVM (as {@code bin/hypnostream demo --duration}) on synthetic beds. */
class DemoIT {

    @TempDir
    Path dir;

    @Test
    void everyBlockIsDeliveredOnceAndEveryEpochGetsOneStageEvent() throws Exception {
        // 10 minutes of device time per bed, as fast as possible
        Demo.Settings s = new Demo.Settings(2, 0, Duration.ofMinutes(10), List.of(), dir, 2, 0, 11L, SpineEndToEndIT.MODELS);
        try (Demo demo = Demo.start(s, InstantSource.system())) {
            assertThat(demo.dashboardBanner()).contains("sign in as 'nurse'");
            assertThat(demo.awaitQuiet(Duration.ofMinutes(4))).isTrue();
            JsonNode summary = JsonCodec.mapper().readTree(demo.summaryJson());
            System.out.println("demo summary: " + summary);
            assertThat(summary.get("beds")).hasSize(2);
            for (JsonNode bed : summary.get("beds")) {
                String id = bed.get("bed").asText();
                assertThat(bed.get("blocks_journaled").asLong()).as(id).isEqualTo(1200);
                assertThat(bed.get("blocks_delivered").asLong()).as(id).isEqualTo(bed.get("blocks_journaled").asLong());
                assertThat(bed.get("epochs").asLong()).as(id).isEqualTo(20);
                assertThat(bed.get("stage_events").asLong()).as(id + ": one stage event per epoch")
                        .isEqualTo(bed.get("epochs").asLong());
                // windows of 4801 samples every 2400 samples over 600 s at 200 Hz
                assertThat(bed.get("leg_windows").asLong()).as(id).isEqualTo((600 * 200 - 4801) / 2400 + 1);
                assertThat(bed.get("dead_letters").asLong()).as(id).isZero();
                // the study: admitted at the session start, lights-off 1 min in, lights-on when the 10-min recording
                // stopped; one bedside event (settled for the night)
                assertThat(bed.get("study_state").asText()).as(id).isEqualTo("LIGHTS_ON");
                assertThat(bed.get("lights_off_assumed").asBoolean()).as(id).isFalse();
                assertThat(bed.get("trt_min").asDouble()).as(id).isEqualTo(9.0);
                assertThat(bed.get("bedside_events").asInt()).as(id).isEqualTo(1);
                double staged = 0;
                for (String st : List.of("W", "N1", "N2", "N3", "REM")) {
                    staged += bed.get("stage_min").get(st).asDouble();
                }
                assertThat(staged).as(id + ": scored minutes within the 9-min window").isBetween(0.0, 9.0);
                assertThat(bed.get("tst_min").asDouble()).as(id).isEqualTo(staged - bed.get("stage_min").get("W").asDouble());
                assertThat(bed.get("sleep_efficiency").asDouble()).as(id)
                        .isCloseTo(bed.get("tst_min").asDouble() / 9.0, org.assertj.core.data.Offset.offset(1e-4));
                assertThat(bed.has("rem_latency_min")).as(id + ": present, null without REM").isTrue();
            }
            // --report-dir: each bed's PDF and FHIR bundle hold the same statistics as the JSON line
            Path reports = dir.resolve("reports");
            demo.writeReports(reports);
            for (JsonNode bed : summary.get("beds")) {
                String id = bed.get("bed").asText();
                Path pdf = reports.resolve(id + ".pdf");
                Process p = new ProcessBuilder("pdftotext", "-layout", pdf.toString(), "-").redirectErrorStream(true).start();
                String text = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                assertThat(p.waitFor()).as(text).isZero();
                for (String key : List.of("trt_min", "tst_min", "sleep_efficiency", "sol_min", "waso_min")) {
                    String line = text.lines().filter(l -> l.matches(".*\\s" + key + "\\s*$")).findFirst().orElseThrow();
                    String v = bed.get(key).isNull() ? "-"
                            : java.math.BigDecimal.valueOf(bed.get(key).asDouble()).stripTrailingZeros().toPlainString();
                    assertThat(line).as(id + " " + key).contains(" " + v + " ");
                }
                JsonNode bundle = JsonCodec.mapper().readTree(java.nio.file.Files.readString(reports.resolve(id + ".fhir.json")));
                for (JsonNode e : bundle.get("entry")) {
                    JsonNode r = e.get("resource");
                    if (!r.get("resourceType").asText().equals("Observation")) {
                        continue;
                    }
                    for (JsonNode c : r.get("code").get("coding")) {
                        String key = c.get("code").asText();
                        if (List.of("trt_min", "tst_min", "sleep_efficiency").contains(key)) {
                            assertThat(r.get("valueQuantity").get("value").asDouble()).as(id + " " + key)
                                    .isEqualTo(bed.get(key).asDouble());
                        }
                    }
                }
                assertThat(bundle.get("entry").get(0).get("resource").get("status").asText()).isEqualTo("preliminary");
            }
        }
    }
}
