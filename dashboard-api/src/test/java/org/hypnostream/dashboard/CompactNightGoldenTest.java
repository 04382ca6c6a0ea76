package org.hypnostream.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hypnostream.common.event.JsonCodec;
import org.hypnostream.common.time.ManualClock;
import org.hypnostream.dashboard.export.EdfPlusWriter;
import org.hypnostream.dashboard.night.BedNight;
import org.hypnostream.dashboard.night.WardState;
import org.hypnostream.dashboard.report.FhirExport;
import org.hypnostream.dashboard.report.ReportHtml;
import org.hypnostream.dashboard.report.ReportWriter;
import org.hypnostream.dashboard.report.StudyReport;
import org.hypnostream.dashboard.review.ReviewJson;
import org.hypnostream.dashboard.review.ReviewedNight;
import org.junit.jupiter.api.Test;

/**
 * What the dashboard serves of a night is what main's code served before the night was kept compactly (ADR 0027):
 * the files under {@code src/test/resources/night-golden/} were written by this test run against main a77de8e's
 * dashboard ({@code -Dgolden.write=<dir>}), from {@link GoldenNight}'s events (out of order, re-delivered, stages
 * replaced, a morning re-score), each read back through JSON as the feed reads it: every change the night announced
 * (kind, number, change JSON and statistics, as a digest), the night JSON, the review JSON, the report's HTML, the
 * FHIR bundle (its random urn:uuid ids numbered in order) and the EDF+ export (as a digest).
 */
class CompactNightGoldenTest {
    private static final Instant NOW = GoldenNight.START.plusSeconds(30L * GoldenNight.EPOCHS + 3600);

    @Test
    void theCompactNightServesWhatMainsNightServed() throws Exception {
        Map<String, String> got = serve();
        String dir = System.getProperty("golden.write");
        if (dir != null) {
            Files.createDirectories(Path.of(dir));
            for (Map.Entry<String, String> e : got.entrySet()) {
                Files.writeString(Path.of(dir, e.getKey()), e.getValue());
            }
        }
        for (Map.Entry<String, String> e : got.entrySet()) {
            String want = golden(e.getKey());
            if (e.getKey().equals("report.html")) {
                assertThat(provenanceRowsSorted(e.getValue())).as(e.getKey()).isEqualTo(provenanceRowsSorted(want));
            } else {
                assertThat(e.getValue()).as(e.getKey()).isEqualTo(want);
            }
        }
    }

    private static Map<String, String> serve() throws Exception {
        WardState state = new WardState(new ManualClock(GoldenNight.START.plusSeconds(7200)));
        StringBuilder updates = new StringBuilder();
        MessageDigest changes = MessageDigest.getInstance("SHA-256");
        int n = 0;
        for (Object e : GoldenNight.events()) {
            Object read = JsonCodec.fromBytes(JsonCodec.toBytes(e), e.getClass());
            var u = state.apply(read);
            n++;
            if (u.isPresent()) {
                updates.append(n).append(' ').append(u.get().seq()).append(' ').append(u.get().kind()).append('\n');
                changes.update(u.get().data().encode().getBytes(StandardCharsets.UTF_8));
                changes.update(String.valueOf(u.get().statistics()).getBytes(StandardCharsets.UTF_8));
            }
        }
        updates.append("changes sha256 ").append(HexFormat.of().formatHex(changes.digest())).append('\n');
        BedNight night = state.bed(GoldenNight.BED).orElseThrow();
        Map<String, String> out = new HashMap<>();
        out.put("updates.txt", updates.toString());
        out.put("night.json", night.toJson().encodePrettily());
        ReviewedNight rn = ReviewedNight.of(night.bedId(), night.stages(), night.revisions(), night.legMovements(),
                night.lifecycle().current().orElse(null), night.review(), NOW);
        out.put("review.json", ReviewJson.of(rn, true).encodePrettily());
        StudyReport report = ReportWriter.report(night, NOW);
        out.put("report.html", ReportHtml.render(report));
        out.put("fhir.json", numberUuids(FhirExport.json(report, new byte[] {1, 2, 3})));
        ByteArrayOutputStream edf = new ByteArrayOutputStream();
        int annotations = EdfPlusWriter.write(night, edf);
        out.put("edf.txt", annotations + " annotations, " + edf.size() + " bytes, sha256 "
                + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(edf.toByteArray())) + "\n");
        return out;
    }

    private static String numberUuids(String json) {
        Matcher m = Pattern.compile("urn:uuid:[0-9a-f-]{36}").matcher(json);
        Map<String, String> seen = new HashMap<>();
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, seen.computeIfAbsent(m.group(), k -> "urn:uuid:n" + seen.size()));
        }
        return m.appendTail(sb).toString();
    }

    /**
     * The report with its provenance table's rows sorted: {@code StudyReport} keeps the provenances in a
     * {@code Set.copyOf}, whose order differs from one JVM to the next (main's too), so only the rows are compared.
     */
    static String provenanceRowsSorted(String html) {
        int start = html.indexOf("<table id=\"provenance\">");
        int end = html.indexOf("</table>", start);
        assertThat(start).as("provenance table").isNotNegative();
        String table = html.substring(start, end);
        int body = table.indexOf("</tr>") + "</tr>".length();
        List<String> rows = new java.util.ArrayList<>(List.of(table.substring(body).split("(?=<tr>)")));
        java.util.Collections.sort(rows);
        return html.substring(0, start) + table.substring(0, body) + String.join("", rows) + html.substring(end);
    }

    private static String golden(String name) throws IOException {
        try (InputStream in = CompactNightGoldenTest.class.getResourceAsStream("/night-golden/" + name)) {
            assertThat(in).as("golden file " + name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theGoldenNightIsTheHardCaseItClaims() {
        List<Object> events = GoldenNight.events();
        long stages = events.stream().filter(e -> e instanceof org.hypnostream.common.event.StageEvent).count();
        assertThat(stages).as("240 epochs, 30 re-scored, some re-delivered").isGreaterThan(GoldenNight.EPOCHS + 30);
        assertThat(new JsonObject(JsonCodec.toJson(events.get(events.size() - 1))).getString("label")).contains("revised");
    }
}
