package org.hypnostream.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.SampledData;
import org.hypnostream.common.time.ManualClock;
import org.hypnostream.dashboard.report.FhirExport;
import org.hypnostream.dashboard.report.ReportHtml;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report from the dashboard: the PDF's text (Debian's {@code pdftotext -layout}) holds every statistic exactly as
 * {@code GET /api/beds/{bed}/statistics} gives it (the reviewed figures), and the FHIR bundle passes HAPI's validator
 * (R4 core, offline) with zero errors, its values equal to the statistics and its status following the review.
 */
@ExtendWith(VertxExtension.class)
class ReportTest {
    @TempDir
    Path dir;
    Vertx vertx;
    MemoryFeed feed;
    DashboardServer server;
    Http http;

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        this.vertx = vertx;
        feed = new MemoryFeed();
        DashboardConfig cfg = TestConfigs.api(dir);
        feed.publish(ReviewNight.events("bed-1", "ward-a").toArray());
        feed.publish(TestEvents.alert("bed-1", "a-1", org.hypnostream.common.event.AlertPriority.LOW, "PLMS_INDEX_HIGH"));
        server = DashboardServer.start(vertx, cfg, feed, feed, new ManualClock(ReviewNight.START.plusSeconds(3600))).await();
        http = new Http(vertx, server.port());
    }

    @AfterEach
    void stop() {
        server.close().await();
    }

    private byte[] bytes(String path, String token) {
        var client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
        RequestOptions o = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(server.port()).setURI(path)
                .putHeader("Authorization", "Bearer " + token);
        Buffer b = client.request(o).compose(req -> req.send()).compose(resp -> {
            assertThat(resp.statusCode()).as(path).isEqualTo(200);
            return resp.body();
        }).await();
        return b.getBytes();
    }

    /** Every scalar statistic and stage minute, as the statistics endpoint gives it: key -> value. */
    private static Map<String, Object> scalars(JsonObject st) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (String[] row : ReportHtml.ROWS) {
            m.put(row[0], st.getValue(row[0]));
        }
        st.getJsonObject("stage_min").forEach(e -> m.put("stage_min." + e.getKey(), e.getValue()));
        return m;
    }

    @Test
    void thePdfHoldsTheStatisticsEndpointsNumbers() throws Exception {
        String tech = http.login("tech", TestUsers.PASSWORD);
        assertThat(http.call(HttpMethod.POST, "/api/beds/bed-1/review/restage", tech, "{\"from\":30,\"to\":39,\"stage\":\"W\"}")
                .status()).isEqualTo(201);
        JsonObject reviewed = http.call(HttpMethod.GET, "/api/beds/bed-1/statistics", tech, null).json().getJsonObject("reviewed");
        assertThat(reviewed.getDouble("tst_min")).isEqualTo(14.0);

        byte[] pdf = bytes("/api/beds/bed-1/report.pdf", tech);
        assertThat(new String(pdf, 0, 5, StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
        Files.createDirectories(Path.of("target/report"));
        Path f = Path.of("target/report/bed-1.pdf");
        Files.write(f, pdf);
        Process p = new ProcessBuilder("pdftotext", "-layout", f.toString(), "-").redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(text).isZero();
        assertThat(text).contains("S1", "P-0042", "PLM_STUDY", "22:00:00", "22:20:00", "seed-stager", "ab".repeat(32), "CPU",
                "re-stage epochs 30-39", "Not signed: preliminary report.");
        List<String> lines = text.lines().toList();
        List<String> checked = new ArrayList<>();
        scalars(reviewed).forEach((key, value) -> {
            String line = lines.stream().filter(l -> l.matches(".*\\s" + java.util.regex.Pattern.quote(key) + "\\s*$")).findFirst()
                    .orElseThrow(() -> new AssertionError("no line for " + key + " in\n" + text));
            assertThat(line).as(key).contains(" " + ReportHtml.num(value instanceof Number n && !(value instanceof Integer)
                    ? (Object) n.doubleValue() : value) + " ");
            checked.add(key);
        });
        assertThat(checked).contains("tst_min", "sleep_efficiency", "plms_index", "stage_min.N2");
        assertThat(text).contains("14 ").contains("0.7 ");
    }

    @Test
    void theFhirBundleIsValidAndItsValuesAreTheStatistics() throws Exception {
        String tech = http.login("tech", TestUsers.PASSWORD);
        String doc = http.login("doc", TestUsers.PASSWORD);
        String json = new String(bytes("/api/beds/bed-1/fhir.json", tech), StandardCharsets.UTF_8);
        assertThat(FhirValidation.errors(json)).as(String.join("\n", FhirValidation.all(json))).isEmpty();
        assertThat(FhirValidation.errors(json.replace("\"status\": \"preliminary\"", "\"status\": \"bogus\"")))
                .as("the validator does refuse a bad status").isNotEmpty();
        Files.createDirectories(Path.of("target/report"));
        Files.writeString(Path.of("target/report/bed-1.fhir.json"), json);
        Bundle b = FhirExport.context().newJsonParser().parseResource(Bundle.class, json);
        DiagnosticReport dr = (DiagnosticReport) b.getEntryFirstRep().getResource();
        assertThat(dr.getCode().getCodingFirstRep().getSystem()).isEqualTo("http://loinc.org");
        assertThat(dr.getCode().getCodingFirstRep().getCode()).isEqualTo("28633-6");
        assertThat(dr.getStatus()).isEqualTo(DiagnosticReport.DiagnosticReportStatus.PRELIMINARY);
        assertThat(new String(dr.getPresentedFormFirstRep().getData(), 0, 5, StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
        assertThat(json).doesNotContain("nurse ").contains("P-0042");

        JsonObject st = http.call(HttpMethod.GET, "/api/beds/bed-1/statistics", tech, null).json().getJsonObject("reviewed");
        Map<String, Object> expected = scalars(st);
        int compared = 0;
        for (Bundle.BundleEntryComponent e : b.getEntry()) {
            if (!(e.getResource() instanceof Observation o)) {
                continue;
            }
            String key = o.getCode().getCoding().stream().filter(c -> c.getSystem().equals(FhirExport.LOCAL)).findFirst()
                    .orElseThrow().getCode();
            if (key.equals("hypnogram")) {
                SampledData sd = (SampledData) o.getValue();
                assertThat(sd.getData().split(" ")).hasSize(ReviewNight.EPOCHS).startsWith("0", "0", "2");
                continue;
            }
            if (!expected.containsKey(key)) {
                continue;
            }
            Object v = expected.get(key);
            if (v == null) {
                assertThat(o.hasValue()).as(key).isFalse();
                assertThat(o.getDataAbsentReason().getCodingFirstRep().getCode()).isEqualTo("not-applicable");
            } else if (o.getValue() instanceof IntegerType i) {
                assertThat(i.getValue()).as(key).isEqualTo(((Number) v).intValue());
            } else {
                assertThat(((Quantity) o.getValue()).getValue().doubleValue()).as(key).isEqualTo(((Number) v).doubleValue());
            }
            if (key.equals("tst_min")) {
                assertThat(o.getCode().getCoding()).anyMatch(c -> c.getSystem().equals("http://loinc.org") && c.getCode().equals("93832-4"));
            }
            compared++;
        }
        assertThat(compared).isEqualTo(expected.size());

        assertThat(http.call(HttpMethod.POST, "/api/beds/bed-1/review/sign", doc, "{\"interpretation\":\"Normal.\"}").status())
                .isEqualTo(201);
        String signed = new String(bytes("/api/beds/bed-1/fhir.json", doc), StandardCharsets.UTF_8);
        assertThat(FhirValidation.errors(signed)).isEmpty();
        DiagnosticReport final_ = (DiagnosticReport) FhirExport.context().newJsonParser().parseResource(Bundle.class, signed)
                .getEntryFirstRep().getResource();
        assertThat(final_.getStatus()).isEqualTo(DiagnosticReport.DiagnosticReportStatus.FINAL);
        assertThat(final_.getConclusion()).isEqualTo("Normal.");
        assertThat(http.call(HttpMethod.POST, "/api/beds/bed-1/review/restage", tech,
                "{\"from\":3,\"stage\":\"N1\",\"reason\":\"arousal\"}").status()).isEqualTo(201);
        String amended = new String(bytes("/api/beds/bed-1/fhir.json", doc), StandardCharsets.UTF_8);
        assertThat(FhirValidation.errors(amended)).isEmpty();
        assertThat(((DiagnosticReport) FhirExport.context().newJsonParser().parseResource(Bundle.class, amended).getEntryFirstRep()
                .getResource()).getStatus()).isEqualTo(DiagnosticReport.DiagnosticReportStatus.AMENDED);
    }

    @Test
    void aStudyWithoutEpochsStillExportsAValidBundleWithItsAbsentNumbersMarkedAbsent() {
        org.hypnostream.dashboard.night.WardState w = new org.hypnostream.dashboard.night.WardState(
                new ManualClock(ReviewNight.START));
        ReviewNight.events("bed-7", "ward-a").stream()
                .filter(e -> !(e instanceof org.hypnostream.common.event.StageEvent)
                        && !(e instanceof org.hypnostream.common.event.LegMovementEvent)).forEach(w::apply);
        var n = w.bed("bed-7").orElseThrow();
        var report = org.hypnostream.dashboard.report.ReportWriter.report(n, ReviewNight.START.plusSeconds(3600));
        String json = FhirExport.json(report, org.hypnostream.dashboard.report.ReportPdf.render(report));
        assertThat(FhirValidation.errors(json)).as(String.join("\n", FhirValidation.all(json))).isEmpty();
        assertThat(json).contains("\"not-applicable\"").contains("\"data\": \"E\"");
        assertThat(ReportHtml.render(report)).contains("tst_min").contains("Not signed: preliminary report.");
    }
}
