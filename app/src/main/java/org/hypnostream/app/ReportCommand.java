package org.hypnostream.app;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.hypnostream.common.config.ConfigReader;
import org.hypnostream.common.config.KafkaOverrides;
import org.hypnostream.dashboard.night.BedNight;
import org.hypnostream.dashboard.night.WardState;
import org.hypnostream.dashboard.report.ReportWriter;
import org.hypnostream.dashboard.report.StudyReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code hypnostream report --study ID --out FILE.pdf}: the study's morning report, from the event topics. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write a study's morning report (PDF, optionally HTML) from the event topics (study, review and all).")
final class ReportCommand implements Callable<Integer> {
    @Mixin
    ServiceOptions service;

    @Option(names = "--study", required = true, description = "Study id.")
    String study;

    @Option(names = "--out", required = true, description = "Output PDF file.")
    Path out;

    @Option(names = "--html", description = "Also write the report as HTML here.")
    Path html;

    @Override
    public Integer call() throws Exception {
        StudyReport r = find(service, study);
        ReportWriter.writePdf(r, out);
        if (html != null) {
            ReportWriter.writeHtml(r, html);
        }
        System.out.println("wrote " + out + (html == null ? "" : " and " + html) + " for study " + study + " on bed " + r.bedId()
                + " (" + (r.night().review() == null ? "IN_REVIEW" : r.night().review().status()) + ")");
        return 0;
    }

    static StudyReport find(ServiceOptions service, String study) {
        ConfigReader c = ConfigReader.fromEnvironment(service.overrides());
        String bootstrap = c.string("kafka.bootstrap.servers", "127.0.0.1:9092", "Kafka bootstrap servers");
        c.validate();
        WardState state = ReportWriter.read(bootstrap, KafkaOverrides.fromEnvironment(service.overrides()), Duration.ofSeconds(60));
        BedNight n = ReportWriter.bedOfStudy(state, study).orElseThrow(() -> new IllegalArgumentException(
                "no bed's current study is " + study + " on the event topics at " + bootstrap));
        return ReportWriter.report(n, Instant.now());
    }
}
