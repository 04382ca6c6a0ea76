package org.hypnostream.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.hypnostream.broker.EmbeddedKafka;
import org.hypnostream.common.event.Alert;
import org.hypnostream.common.event.AlertState;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.ingest.outbox.OutboxUnwritableException;
import org.hypnostream.testkit.TopicReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway process ({@code hypnostream gateway}, HYPNOSTREAM_* configuration) whose outbox cannot take data.
 * Unwritable: the outbox directory lies under a regular file (a permission change would not stop root, which the
 * services may run as); the gateway refuses to start, names the path and exits with status 3. Full: the free-space
 * minimum ({@code gateway.outbox.min.free.bytes}) is set above the disk's real free space; the gateway runs but
 * journals nothing, counts refusals on /metrics, logs an ERROR and raises OUTBOX_UNWRITABLE for each bed on
 * {@code alerts.v1}; nothing reaches {@code samples.v1} that was not journaled. (Resuming when space comes back, with
 * journaled = delivered: {@code org.hypnostream.ingest.OutboxFullIT}.)
 */
class OutboxFaultIT {
    @TempDir
    Path dir;

    @Test
    void outboxUnderARegularFileStopsTheGatewayWithAClearError() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
        Path outbox = file.resolve("outbox");
        try (ServiceProcess gateway = new ServiceProcess("gateway", Map.of(
                "kafka.bootstrap.servers", "127.0.0.1:9",
                "gateway.id", "gw-unwritable",
                "gateway.outbox.dir", outbox.toString(),
                "gateway.metrics.port", "-1"), dir.resolve("logs"))) {
            gateway.start();
            int status = gateway.awaitExit(Duration.ofSeconds(90));
            String log = Files.readString(gateway.log());
            System.out.printf("fault outbox-unwritable: outbox %s under a regular file, exit status %d, message names the"
                    + " path: %s%n", outbox, status, log.contains(outbox.toString()));
            assertThat(status).as("exit status; log:\n%s", log).isEqualTo(3);
            assertThat(log).contains("gateway not started").contains(outbox.toString()).contains("not a writable directory");
        }
    }

    @Test
    void aFullDiskJournalsNothingCountsRefusalsAndRaisesTheAlarm() throws Exception {
        long usable = Files.getFileStore(dir).getUsableSpace();
        long minimum = usable + (1L << 40);
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("broker"));
                ServiceProcess gateway = new ServiceProcess("gateway", Map.of(
                        "kafka.bootstrap.servers", kafka.bootstrapServers(),
                        "gateway.id", "gw-full",
                        "gateway.outbox.dir", dir.resolve("outbox").toString(),
                        "gateway.outbox.min.free.bytes", Long.toString(minimum),
                        "gateway.beds", "2",
                        "gateway.speed", "20",
                        "gateway.metrics.host", "127.0.0.1",
                        "gateway.metrics.port", "0"), dir.resolve("logs"))) {
            kafka.createTopics(1);
            gateway.start();
            List<Alert> active = awaitActiveAlerts(kafka.bootstrapServers(), 2, gateway);
            String metrics = scrape(gateway);
            double refusals = metric(metrics, "hypnostream_ingest_outbox_refusals_total\\{gateway=\"gw-full\"} (\\S+)");
            double journaled = metric(metrics, "hypnostream_ingest_blocks_journaled_total\\{gateway=\"gw-full\"} (\\S+)");
            long onSamples;
            try (Admin admin = kafka.admin()) {
                onSamples = NightLedger.written(admin, Topics.SAMPLES.name());
            }
            String log = Files.readString(gateway.log());
            boolean errorLogged = log.lines().anyMatch(l -> l.contains("ERROR") && l.contains("is full"));
            System.out.printf("fault outbox-full (process): minimum %d MiB > %d MiB free; journaled=%.0f refusals=%.0f"
                    + " on samples.v1=%d alarm %s active for %s; ERROR logged=%b%n", minimum >> 20, usable >> 20, journaled,
                    refusals, onSamples, OutboxUnwritableException.ALERT_CODE, active.stream().map(Alert::bedId).sorted().toList(),
                    errorLogged);
            assertThat(gateway.isAlive()).as("gateway keeps running, holding its blocks; log:\n%s", gateway.logTail()).isTrue();
            assertThat(active).extracting(Alert::bedId).containsExactlyInAnyOrder("bed-1", "bed-2");
            assertThat(active).allSatisfy(a -> assertThat(a.message()).contains("is full").contains(dir.resolve("outbox").toString()));
            assertThat(journaled).as("blocks journaled on a full disk").isZero();
            assertThat(refusals).as("refusals counted").isPositive();
            assertThat(onSamples).as("records on samples.v1").isZero();
            assertThat(errorLogged).as("ERROR line naming the full outbox; log:\n%s", gateway.logTail()).isTrue();
        }
    }

    private static List<Alert> awaitActiveAlerts(String bootstrap, int n, ServiceProcess gateway) {
        return activeOutboxAlerts(TopicReader.at(bootstrap).awaitValues(Topics.ALERTS, all -> {
            assertThat(gateway.isAlive()).as("gateway running; log:\n%s", gateway.logTail()).isTrue();
            return activeOutboxAlerts(all).size() >= n;
        }, Duration.ofSeconds(120)));
    }

    private static List<Alert> activeOutboxAlerts(List<Alert> all) {
        return all.stream().filter(a -> a.state() == AlertState.ACTIVE && a.code().equals(OutboxUnwritableException.ALERT_CODE))
                .toList();
    }

    private static String scrape(ServiceProcess p) throws Exception {
        Matcher m = Pattern.compile("gateway metrics at http://[^:]+:(\\d+)/metrics").matcher(Files.readString(p.log()));
        assertThat(m.find()).as("metrics port in the log:\n%s", p.logTail()).isTrue();
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + m.group(1) + "/metrics")).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    private static double metric(String scrape, String pattern) {
        Matcher m = Pattern.compile(pattern).matcher(scrape);
        assertThat(m.find()).as("%s in /metrics:\n%s", pattern, scrape).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
