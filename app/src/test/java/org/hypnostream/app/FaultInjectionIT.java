package org.hypnostream.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.hypnostream.broker.EmbeddedKafka;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.ingest.Gateway;
import org.hypnostream.ingest.GatewayConfig;
import org.hypnostream.ingest.source.Pacing;
import org.hypnostream.inference.service.InferenceConfig;
import org.hypnostream.stream.StreamProcessorApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault injection on processes: the stream processor and the inference service run as child JVMs
 * ({@code hypnostream stream-processor|inference}, configured by HYPNOSTREAM_* variables) against a broker in this
 * JVM, fed by a gateway with 2 synthetic beds x 10 minutes at 20x. Mid-run one service is killed with SIGKILL and
 * started again, or the broker is stopped for 60 s. Then: every journaled block is on {@code samples.v1}, every epoch is on {@code eeg-epochs.v1}
 * exactly once, and every epoch has exactly one stage event (read_committed).
 */
class FaultInjectionIT {
    private static final List<String> BEDS = List.of("bed-1", "bed-2");
    private static final Duration NIGHT = Duration.ofMinutes(10);
    private static final long EPOCHS_PER_BED = NIGHT.toSeconds() / 30;

    @TempDir
    Path dir;

    /** What a scenario does to the running system once it is mid-night; returns a note for the result line. */
    interface Fault {
        String inject(EmbeddedKafka kafka, Admin admin, Gateway gateway, ServiceProcess spine, ServiceProcess inference)
                throws Exception;
    }

    @Test
    void streamProcessorKilledMidRun() throws Exception {
        runScenario("stream-processor-kill9", 20, (kafka, admin, gateway, spine, inference) -> {
            awaitWritten(admin, Topics.EEG_EPOCHS.name(), BEDS.size() * EPOCHS_PER_BED / 5, spine);
            return killAndRestart(admin, spine, Topics.EEG_EPOCHS.name());
        });
    }

    @Test
    void inferenceKilledMidRun() throws Exception {
        runScenario("inference-kill9", 20, (kafka, admin, gateway, spine, inference) -> {
            awaitWritten(admin, Topics.STAGE_EVENTS.name(), BEDS.size() * EPOCHS_PER_BED / 5, inference);
            return killAndRestart(admin, inference, Topics.STAGE_EVENTS.name());
        });
    }

    /**
     * The broker is stopped for 60 s while the amplifiers keep sending (at 5x, so the night is not over before the
     * broker is back): the gateway keeps journaling into its outbox, and every service resumes on its own.
     */
    @Test
    void brokerStoppedFor60SecondsUnderLoad() throws Exception {
        runScenario("broker-down-60s", 5, (kafka, admin, gateway, spine, inference) -> {
            awaitWritten(admin, Topics.STAGE_EVENTS.name(), BEDS.size() * EPOCHS_PER_BED / 5, inference);
            kafka.stop();
            long journaledAtStop = gateway.stats().blocksJournaled();
            long outageEnd = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            // the outage itself lasts 60 s; meanwhile the gateway must go on journaling and the services stay up
            while (System.nanoTime() < outageEnd) {
                assertThat(spine.isAlive()).as("stream processor survives the outage; log:\n%s", spine.logTail()).isTrue();
                assertThat(inference.isAlive()).as("inference survives the outage; log:\n%s", inference.logTail()).isTrue();
                Thread.sleep(1_000);
            }
            long journaledInOutage = gateway.stats().blocksJournaled() - journaledAtStop;
            long lagAtRestart = gateway.stats().outboxLag();
            assertThat(journaledInOutage).as("blocks journaled while the broker was down").isPositive();
            kafka.restart();
            return "journaled during outage=" + journaledInOutage + " outbox lag at restart=" + lagAtRestart;
        });
    }

    private static String killAndRestart(Admin admin, ServiceProcess victim, String progressTopic) throws Exception {
        long atKill = NightLedger.written(admin, progressTopic);
        victim.kill();
        assertThat(victim.isAlive()).isFalse();
        victim.start();
        return "killed at " + atKill + " records on " + progressTopic;
    }

    private void runScenario(String name, double speed, Fault fault) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("broker"))) {
            kafka.createTopics(2);
            String bootstrap = kafka.bootstrapServers();
            try (ServiceProcess spine = streamProcessor(bootstrap); ServiceProcess inference = inference(bootstrap)) {
                spine.start();
                inference.start();
                Instant sessionStart = Instant.now().truncatedTo(ChronoUnit.SECONDS);
                GatewayConfig gc = new GatewayConfig("fault-gateway", bootstrap, dir.resolve("outbox"), Pacing.factor(speed),
                        Map.of());
                PrometheusMeterRegistry gatewayMetrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
                try (Gateway gateway = Gateway.start(gc, SyntheticNight.sources(BEDS, 31, sessionStart, NIGHT),
                        InstantSource.system(), gatewayMetrics)) {
                    String note;
                    try (Admin admin = kafka.admin()) {
                        note = fault.inject(kafka, admin, gateway, spine, inference);
                    }
                    gateway.awaitSourcesDrained(Duration.ofMinutes(4));
                    awaitComplete(bootstrap, spine, inference);
                    Map<String, List<String>> groups = new LinkedHashMap<>();
                    groups.put(StreamProcessorApp.SPINE_APPLICATION_ID, List.of(Topics.SAMPLES.name()));
                    groups.put(InferenceConfig.GROUP_ID, List.of(Topics.EEG_EPOCHS.name(), Topics.LEG_WINDOWS.name()));
                    try (Admin admin = kafka.admin()) {
                        assertThat(ConsumerLag.awaitCaughtUp(admin, groups, 2, Duration.ofMinutes(2)))
                                .as("spine and inference caught up").isTrue();
                    }
                    // read again once everyone is idle, so that a late duplicate would be seen
                    verify(name + " (" + note + ")", gateway, bootstrap, NightLedger.read(bootstrap));
                    noBedIdInMetrics(name, gatewayMetrics.scrape(), scrape(spine, "metrics at http://[^:]+:(\\d+)/metrics"),
                            scrape(inference, "metrics port (\\d+)"));
                }
            }
        }
    }

    private void verify(String name, Gateway gateway, String bootstrap, NightLedger ledger) {
        NightTally tally = NightTally.of(name, gateway.stats(), bootstrap, ledger, BEDS, EPOCHS_PER_BED);
        System.out.printf("fault %s: %s%n", name, tally.figures());
        // 10 minutes per bed: 600 one-second blocks at 256 Hz and 600 at 200 Hz
        tally.assertComplete(name, BEDS.size() * 2 * NIGHT.toSeconds(), ledger);
    }

    /** The services' /metrics must not name a bed (or anything else that identifies a patient). */
    private static void noBedIdInMetrics(String name, String... scrapes) {
        String[] service = {"gateway", "stream-processor", "inference"};
        for (int i = 0; i < scrapes.length; i++) {
            assertThat(scrapes[i]).as("%s /metrics", service[i]).contains("hypnostream");
            for (String bed : BEDS) {
                assertThat(scrapes[i]).as("%s /metrics names no bed", service[i]).doesNotContain(bed);
            }
        }
        System.out.printf("fault %s: /metrics of gateway (%d bytes), stream-processor (%d bytes), inference (%d bytes)"
                + " name no bed%n", name, scrapes[0].length(), scrapes[1].length(), scrapes[2].length());
    }

    /** GET http://127.0.0.1:port/metrics of a child, the port taken from its log line matching {@code portLine}. */
    private static String scrape(ServiceProcess p, String portLine) throws Exception {
        Matcher m = Pattern.compile(portLine).matcher(Files.readString(p.log()));
        assertThat(m.find()).as("metrics port in the log of %s:\n%s", p.log(), p.logTail()).isTrue();
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + m.group(1) + "/metrics")).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    private static NightLedger awaitComplete(String bootstrap, ServiceProcess spine, ServiceProcess inference)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (true) {
            NightLedger ledger = NightLedger.read(bootstrap);
            if (ledger.complete(BEDS, EPOCHS_PER_BED)) {
                return ledger;
            }
            assertThat(spine.isAlive()).as("stream processor alive; log:\n%s", spine.logTail()).isTrue();
            assertThat(inference.isAlive()).as("inference alive; log:\n%s", inference.logTail()).isTrue();
            assertThat(System.nanoTime()).as("every epoch and stage event in time; ledger %s", ledger).isLessThan(deadline);
            Thread.sleep(1_000);
        }
    }

    private static void awaitWritten(Admin admin, String topic, long records, ServiceProcess victim) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (NightLedger.written(admin, topic) < records) {
            assertThat(victim.isAlive()).as("victim running; log:\n%s", victim.logTail()).isTrue();
            assertThat(System.nanoTime()).as("%d records on %s in time", records, topic).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private ServiceProcess streamProcessor(String bootstrap) {
        return new ServiceProcess("stream-processor", Map.of(
                "kafka.bootstrap.servers", bootstrap,
                "stream.state.dir", dir.resolve("streams").toString(),
                "stream.metrics.host", "127.0.0.1",
                "stream.metrics.port", "0"), dir.resolve("logs"));
    }

    private ServiceProcess inference(String bootstrap) {
        return new ServiceProcess("inference", Map.of(
                "kafka.bootstrap.servers", bootstrap,
                "models.dir", SpineEndToEndIT.MODELS.toString(),
                "inference.device", "cpu",
                "inference.instance.id", "fault-1",
                "inference.metrics.host", "127.0.0.1",
                "inference.metrics.port", "0"), dir.resolve("logs"));
    }
}
