package org.hypnostream.dashboard.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import org.hypnostream.dashboard.feed.KafkaFeed;
import org.hypnostream.dashboard.night.BedNight;
import org.hypnostream.dashboard.night.WardState;
import org.hypnostream.dashboard.review.ReviewedNight;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code report} and {@code export-fhir} from the launcher (and the demo's {@code --report-dir}): reads the event
 * topics to their end, rebuilds the nights (study, review and all), finds the study and writes its PDF / HTML / FHIR
 * bundle, atomically (a temp file, then a move).
 */
public final class ReportWriter {
    private static final Logger LOG = LoggerFactory.getLogger(ReportWriter.class);

    private ReportWriter() {
    }

    public static WardState read(String bootstrap, Map<String, String> kafkaSettings, Duration timeout) {
        WardState state = new WardState(InstantSource.system());
        KafkaFeed.readToEnd(bootstrap, kafkaSettings, timeout, e -> {
            try {
                state.apply(e);
            } catch (IllegalArgumentException bad) {
                LOG.warn("report: event skipped: {}", bad.getMessage());
            }
        }, d -> LOG.warn("report: undecodable record {}-{}@{}: {}", d.sourceTopic(), d.partition(), d.offset(), d.reason()));
        return state;
    }

    /** The bed whose latest study is {@code studyId}. */
    public static Optional<BedNight> bedOfStudy(WardState state, String studyId) {
        return state.beds().stream().filter(n -> n.lifecycle().current().map(s -> s.studyId().equals(studyId)).orElse(false))
                .findFirst();
    }

    public static StudyReport report(BedNight n, Instant now) {
        return StudyReport.of(n, ReviewedNight.of(n.bedId(), n.stages(), n.revisions(), n.legMovements(),
                n.lifecycle().current().orElse(null),
                n.review(), now), now);
    }

    public static void writePdf(StudyReport r, Path out) throws IOException {
        write(out, ReportPdf.render(r));
    }

    public static void writeHtml(StudyReport r, Path out) throws IOException {
        write(out, ReportHtml.render(r).getBytes(StandardCharsets.UTF_8));
    }

    public static void writeFhir(StudyReport r, Path out) throws IOException {
        write(out, FhirExport.json(r, ReportPdf.render(r)).getBytes(StandardCharsets.UTF_8));
    }

    /** Each bed with a study: {@code dir/<bed>.pdf} and {@code dir/<bed>.fhir.json}; returns how many beds. */
    public static int writeAll(WardState state, Iterable<String> beds, Path dir, Instant now) throws IOException {
        Files.createDirectories(dir);
        int n = 0;
        for (String bed : beds) {
            Optional<BedNight> night = state.bed(bed).filter(b -> b.lifecycle().current().isPresent());
            if (night.isEmpty()) {
                LOG.warn("report: bed {} has no study; no report", bed);
                continue;
            }
            StudyReport r = report(night.get(), now);
            byte[] pdf = ReportPdf.render(r);
            write(dir.resolve(bed + ".pdf"), pdf);
            write(dir.resolve(bed + ".fhir.json"), FhirExport.json(r, pdf).getBytes(StandardCharsets.UTF_8));
            n++;
        }
        return n;
    }

    private static void write(Path out, byte[] bytes) throws IOException {
        Path abs = out.toAbsolutePath();
        Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
    }
}
