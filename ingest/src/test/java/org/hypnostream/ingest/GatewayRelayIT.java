package org.hypnostream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.hypnostream.broker.EmbeddedKafka;
import org.hypnostream.ingest.source.AmplifierSource;
import org.hypnostream.ingest.source.Pacing;
import org.hypnostream.ingest.source.SyntheticAmplifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** (a) a gateway relays synthetic beds to a real broker: each (source, seq) exactly once, in order. */
class GatewayRelayIT {
    @TempDir
    Path tmp;

    @Test
    void everyBlockArrivesExactlyOnceInOrder() {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(tmp.resolve("kafka"))) {
            kafka.createTopics(3);
            List<AmplifierSource> beds = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                beds.add(new SyntheticAmplifier("bed-" + i, i, Instant.parse("2026-01-10T22:00:00Z"), Duration.ofMinutes(2)));
            }
            GatewayConfig cfg = new GatewayConfig("it-a", kafka.bootstrapServers(), tmp.resolve("outbox"),
                    Pacing.AS_FAST_AS_POSSIBLE, Map.of());
            GatewayStats stats;
            try (Gateway g = Gateway.start(cfg, beds, InstantSource.system(), new SimpleMeterRegistry())) {
                g.awaitSourcesDrained(Duration.ofSeconds(45));
                stats = g.stats();
            }
            assertThat(stats.blocksJournaled()).isEqualTo(3 * 2 * 120);
            assertThat(stats.blocksDelivered()).isEqualTo(3 * 2 * 120);
            assertThat(stats.outboxLag()).isZero();
            assertThat(stats.beds()).hasSize(3).allSatisfy((bed, b) -> {
                assertThat(b.blocksJournaled()).isEqualTo(240);
                assertThat(b.blocksDelivered()).isEqualTo(240);
            });
            SampleLog log = SampleLog.readAll(kafka.bootstrapServers());
            assertThat(log.seqs).hasSize(6);
            List<Long> expected = LongStream.range(0, 120).boxed().toList();
            log.seqs.forEach((source, seqs) -> assertThat(seqs).as(source).isEqualTo(expected));
            assertThat(log.duplicates()).isZero();
        }
    }

    @Test
    void gatewayMainWiresConfigSourcesAndMetrics() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(tmp.resolve("kafka"))) {
            kafka.createTopics(1);
            GatewayOptions o = GatewayOptions.fromEnvironment(Map.of("kafka.bootstrap.servers", kafka.bootstrapServers(),
                    "gateway.id", "it-main", "gateway.outbox.dir", tmp.resolve("outbox").toString(), "gateway.speed", "max",
                    "gateway.beds", "2", "gateway.metrics.host", "127.0.0.1", "gateway.metrics.port", "0",
                    "gateway.source", "edf:" + org.hypnostream.common.data.SharedData.data("snippets", "edfio_short_psg_SC4001E0_first5min.edf").toString()));
            try (GatewayMain.Running r = GatewayMain.start(o, InstantSource.system())) {
                r.gateway().awaitSourcesDrained(Duration.ofSeconds(45));
                assertThat(r.gateway().stats().blocksDelivered()).isEqualTo(2 * 300);
                java.net.http.HttpResponse<String> resp = java.net.http.HttpClient.newHttpClient().send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + r.metricsPort() + "/metrics")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                assertThat(resp.body()).contains("hypnostream_ingest_blocks_journaled_total{gateway=\"it-main\"} 600.0")
                        .contains("hypnostream_ingest_blocks_delivered_total{gateway=\"it-main\"} 600.0")
                        .contains("hypnostream_ingest_outbox_lag{gateway=\"it-main\"} 0.0")
                        .doesNotContain("bed-1");
                for (String health : java.util.List.of("/health/live", "/health/ready")) {
                    assertThat(java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://127.0.0.1:" + r.metricsPort() + health)).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode()).as(health).isEqualTo(200);
                }
            }
        }
    }
}
