package org.hypnostream.dashboard.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.hypnostream.dashboard.DashboardConfig;
import org.hypnostream.dashboard.DashboardServer;
import org.hypnostream.dashboard.TestUsers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kafka.*} settings reach the dashboard's feed consumer and its action/dead-letter producers, while what the
 * dashboard needs (read_committed, no auto commit, idempotence) stays its own. Proof without a SASL broker:
 * {@code security.protocol=SASL_SSL} with mechanism PLAIN and no JAAS configuration makes the real client constructors
 * (and so the dashboard's start) refuse, naming JAAS.
 */
class KafkaSettingsTest {
    @TempDir
    Path dir;

    @Test
    void securitySettingsReachTheFeedAndThePublisher() throws Exception {
        DashboardConfig cfg = DashboardConfig.fromEnvironment(Map.of("kafka.bootstrap.servers", "127.0.0.1:9",
                "dashboard.users.file", TestUsers.write(dir).toString(), "kafka.security.protocol", "SASL_SSL",
                "kafka.sasl.mechanism", "PLAIN", "kafka.isolation.level", "read_uncommitted",
                "kafka.ssl.truststore.password", "secret-value-42"));
        Properties feed = KafkaFeed.props(cfg.bootstrapServers(), cfg.kafkaSettings());
        System.out.printf("dashboard kafka.* pass-through: settings %s; feed security.protocol=%s isolation.level=%s%n",
                cfg.kafkaSettings().keySet(), feed.get("security.protocol"), feed.get("isolation.level"));
        assertThat(cfg.kafkaSettings()).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "PLAIN")
                .doesNotContainKey("bootstrap.servers");
        assertThat(feed).containsEntry("security.protocol", "SASL_SSL").containsEntry("isolation.level", "read_committed")
                .containsEntry("enable.auto.commit", "false");
        assertThat(cfg.toString()).as("no setting value printed").doesNotContain("secret-value-42");
        assertThatThrownBy(() -> new KafkaConsumer<>(feed, new ByteArrayDeserializer(), new ByteArrayDeserializer()).close())
                .hasStackTraceContaining("JAAS");
        assertThatThrownBy(() -> new KafkaPublisher(cfg.bootstrapServers(), cfg.kafkaSettings()).close())
                .hasStackTraceContaining("JAAS");
        Vertx vertx = Vertx.vertx();
        try {
            assertThatThrownBy(() -> DashboardServer.start(vertx, cfg).await()).as("the dashboard's own start")
                    .hasStackTraceContaining("JAAS");
        } finally {
            vertx.close().await();
        }
    }

    @Test
    void theFeedParksAFetch500MsByDefaultAndAKafkaSettingReplacesIt() {
        assertThat(KafkaFeed.props("127.0.0.1:9", Map.of())).containsEntry("fetch.max.wait.ms", "500");
        assertThat(KafkaFeed.props("127.0.0.1:9", Map.of("fetch.max.wait.ms", "50")))
                .containsEntry("fetch.max.wait.ms", "50");
    }
}
