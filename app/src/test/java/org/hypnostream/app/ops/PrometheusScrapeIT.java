package org.hypnostream.app.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.hypnostream.broker.EmbeddedKafka;
import org.hypnostream.common.config.ConfigReader;
import org.hypnostream.common.metrics.MetricsEndpoint;
import org.hypnostream.dashboard.DashboardConfig;
import org.hypnostream.dashboard.DashboardServer;
import org.hypnostream.ingest.Gateway;
import org.hypnostream.ingest.GatewayConfig;
import org.hypnostream.ingest.source.Pacing;
import org.hypnostream.ingest.source.SyntheticAmplifier;
import org.hypnostream.inference.service.InferenceConfig;
import org.hypnostream.inference.service.InferenceMain;
import org.hypnostream.stream.SpineConfig;
import org.hypnostream.stream.StreamProcessorApp;
import org.hypnostream.stream.StreamProcessorMain;
import org.hypnostream.stream.plm.PlmConfig;
import org.hypnostream.stream.plm.PlmTopology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus (Debian package) scrapes every service: the gateway, the stream processor (spine and PLM), the
 * inference service and the dashboard run over an embedded broker, each with its own meter registry and its own
 * {@code /metrics} on loopback, as in separate processes; Prometheus runs as a child process on a free loopback port
 * with its own data directory, config and deploy/prometheus-alerts.yml. Its query API must return {@code up == 1}
 * for every target and series of each service, including every series the alert rules read, and the rules must load
 * and evaluate without error, none firing. Then the gateway's endpoint closes: {@code up} turns 0 and
 * HypnostreamServiceDown becomes pending.
 */
class PrometheusScrapeIT {
    private static final Duration DEADLINE = Duration.ofMinutes(3);
    private static final Path RULES = Promtool.ROOT.resolve("deploy/prometheus-alerts.yml");
    /** Series the alert rules read that exist from a service's start (dead letters appear only once one happens). */
    private static final Map<String, String> RULE_SERIES = Map.of(
            "hypnostream_ingest_outbox_lag", "gateway",
            "hypnostream_ingest_blocks_delivered_total", "gateway",
            "hypnostream_ingest_outbox_refusals_total", "gateway",
            "hypnostream_inference_unscored_run_longest_epochs", "inference",
            "hypnostream:consumer_lag_records:max", "stream-processor|inference");

    @TempDir
    Path dir;

    @Test
    void prometheusScrapesEveryServiceAndLoadsTheAlertRules() throws Exception {
        Path prometheusBinary = Promtool.require("prometheus");
        List<AutoCloseable> open = new ArrayList<>();
        try {
            EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("broker"));
            open.add(0, kafka);
            kafka.createTopics(2);
            String bootstrap = kafka.bootstrapServers();
            Map<String, Integer> targets = new LinkedHashMap<>();

            PrometheusMeterRegistry streamRegistry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            StreamProcessorApp streams = StreamProcessorApp.start(bootstrap, dir.resolve("streams"), streamRegistry, Map.of(),
                    List.of(StreamProcessorApp.spine(SpineConfig.defaults(), streamRegistry),
                            new StreamProcessorApp.Spec(StreamProcessorMain.PLM_APPLICATION_ID,
                                    PlmTopology.build(PlmConfig.defaults()))));
            open.add(0, streams);
            targets.put("stream-processor", endpoint(open, streamRegistry));

            InferenceMain inference = InferenceMain.start(InferenceConfig.fromEnvironment(ConfigReader.of(Map.of(
                    "kafka.bootstrap.servers", bootstrap,
                    "models.dir", org.hypnostream.common.config.ModelsFolder.resolve().toString(),
                    "inference.device", "cpu",
                    "inference.instance.id", "prometheus-it",
                    "inference.metrics.port", "-1"))));
            open.add(0, inference);
            targets.put("inference", endpoint(open, inference.registry()));

            Vertx vertx = Vertx.vertx();
            open.add(0, () -> vertx.close().await());
            DashboardServer dashboard = DashboardServer.start(vertx,
                    DashboardConfig.demo(dir.resolve("dashboard"), bootstrap, 0).config()).await();
            open.add(0, () -> dashboard.close().await());
            targets.put("dashboard", dashboard.port());

            PrometheusMeterRegistry gatewayRegistry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            Instant sessionStart = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            Gateway gateway = Gateway.start(new GatewayConfig("prometheus-it", bootstrap, dir.resolve("outbox"),
                    Pacing.factor(1), Map.of()), List.of(new SyntheticAmplifier("bed-1", 1, sessionStart)),
                    InstantSource.system(), gatewayRegistry);
            open.add(0, gateway);
            MetricsEndpoint gatewayEndpoint = MetricsEndpoint.start("127.0.0.1", 0, gatewayRegistry::scrape);
            open.add(0, gatewayEndpoint);
            targets.put("gateway", gatewayEndpoint.port());

            PrometheusProcess prom = PrometheusProcess.start(prometheusBinary, dir, targets, RULES);
            open.add(0, prom);
            long t0 = System.nanoTime();

            Map<String, Double> up = prom.await("every target up", DEADLINE, () -> {
                Map<String, Double> byJob = prom.byJob("up");
                return byJob.keySet().equals(targets.keySet()) && byJob.values().stream().allMatch(v -> v == 1.0)
                        ? byJob : null;
            });
            long upMillis = (System.nanoTime() - t0) / 1_000_000;
            Map<String, Double> series = prom.await("hypnostream series of every service", DEADLINE, () -> {
                Map<String, Double> byJob = prom.byJob("count by (job) ({__name__=~\"hypnostream_.+\"})");
                return byJob.keySet().equals(targets.keySet()) ? byJob : null;
            });
            Map<String, String> ruleSeries = prom.await("every series the alert rules read", DEADLINE, () -> {
                Map<String, String> found = new TreeMap<>();
                for (Map.Entry<String, String> e : RULE_SERIES.entrySet()) {
                    Map<String, Double> byJob = prom.byJob("count by (job) (" + e.getKey() + ")");
                    if (!byJob.keySet().containsAll(List.of(e.getValue().split("\\|")))) {
                        return null;
                    }
                    found.put(e.getKey(), String.join("+", new TreeSet<>(byJob.keySet())));
                }
                return found;
            });
            JsonNode groups = prom.await("alert rules evaluated", DEADLINE, () -> {
                JsonNode g = prom.ruleGroups();
                for (JsonNode group : g) {
                    for (JsonNode rule : group.path("rules")) {
                        if (rule.path("lastEvaluation").asText().startsWith("0001-")) {
                            return null;
                        }
                    }
                }
                return g.isEmpty() ? null : g;
            });
            List<String> unhealthy = new ArrayList<>();
            int rules = 0;
            for (JsonNode group : groups) {
                for (JsonNode rule : group.path("rules")) {
                    rules++;
                    if (!rule.path("health").asText().equals("ok")) {
                        unhealthy.add(rule.path("name").asText() + ": " + rule.path("lastError").asText());
                    }
                }
            }
            JsonNode firing = prom.query("ALERTS{alertstate=\"firing\"}");
            List<String> firingNames = new ArrayList<>();
            firing.forEach(a -> firingNames.add(a.path("metric").path("alertname").asText()));

            // the gateway's /metrics goes away: Prometheus sees it down and HypnostreamServiceDown becomes pending
            // (it fires after its 1 minute; the rule tests cover that)
            open.remove(gatewayEndpoint);
            gatewayEndpoint.close();
            long t1 = System.nanoTime();
            prom.await("up{job=\"gateway\"} == 0", DEADLINE, () -> prom.query("up{job=\"gateway\"} == 0").isEmpty() ? null : true);
            long downMillis = (System.nanoTime() - t1) / 1_000_000;
            JsonNode pending = prom.await("HypnostreamServiceDown pending for the gateway", DEADLINE, () -> {
                JsonNode a = prom.query("ALERTS{alertname=\"HypnostreamServiceDown\", job=\"gateway\"}");
                return a.isEmpty() ? null : a;
            });
            String downState = pending.get(0).path("metric").path("alertstate").asText();

            System.out.printf("prometheus %s on 127.0.0.1:%d: targets up=%s after %d ms (%s); hypnostream series per job=%s;"
                    + " series the rules read=%s; rules loaded=%d unhealthy=%s firing=%s; gateway /metrics closed: up=0"
                    + " after %d ms, HypnostreamServiceDown %s%n",
                    PrometheusProcess.version(prometheusBinary), prom.port(), up, upMillis, targets, series, ruleSeries,
                    rules, unhealthy, firingNames, downMillis, downState);
            assertThat(downState).isIn("pending", "firing");
            assertThat(up).containsOnlyKeys(targets.keySet()).allSatisfy((job, v) -> assertThat(v).isEqualTo(1.0));
            assertThat(series).allSatisfy((job, n) -> assertThat(n).as("hypnostream series of %s", job).isPositive());
            assertThat(rules).as("rules of deploy/prometheus-alerts.yml loaded").isEqualTo(ruleCount());
            assertThat(unhealthy).as("rules evaluating with an error").isEmpty();
            assertThat(firingNames).as("alerts firing on a healthy system").isEmpty();
        } finally {
            for (AutoCloseable c : open) {
                c.close();
            }
        }
    }

    /** A /metrics endpoint on loopback over {@code registry}, as each service serves its own. */
    private static int endpoint(List<AutoCloseable> open, PrometheusMeterRegistry registry) {
        MetricsEndpoint m = MetricsEndpoint.start("127.0.0.1", 0, registry::scrape);
        open.add(0, m);
        return m.port();
    }

    private static int ruleCount() throws IOException {
        int n = 0;
        for (String line : Files.readAllLines(RULES)) {
            String t = line.strip();
            n += t.startsWith("- alert:") || t.startsWith("- record:") ? 1 : 0;
        }
        return n;
    }
}
