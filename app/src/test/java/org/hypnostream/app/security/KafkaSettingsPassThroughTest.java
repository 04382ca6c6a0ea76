package org.hypnostream.app.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.hypnostream.common.config.KafkaOverrides;
import org.hypnostream.stream.StreamProcessorMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kafka.*} settings (TLS, SASL) reach the real Kafka clients of the stream processor (the gateway:
 * {@code org.hypnostream.ingest.GatewayKafkaSettingsTest}). Proof
 * without a SASL broker: {@code security.protocol=SASL_SSL} with mechanism PLAIN and no JAAS configuration makes the
 * Kafka client constructor itself refuse, naming JAAS; a setting that did not reach the client could not do that.
 */
class KafkaSettingsPassThroughTest {

    @TempDir
    Path dir;

    @Test
    void kafkaKeysFromEnvironmentSystemPropertiesAndOverridesBecomeClientProperties() {
        Properties sys = new Properties();
        sys.setProperty("kafka.ssl.truststore.type", "PKCS12");
        sys.setProperty("gateway.beds", "3");
        Map<String, String> got = KafkaOverrides.from(
                Map.of("HYPNOSTREAM_KAFKA_SECURITY_PROTOCOL", "SSL", "HYPNOSTREAM_KAFKA_BOOTSTRAP_SERVERS", "h:9092",
                        "HYPNOSTREAM_GATEWAY_BEDS", "2", "HYPNOSTREAM_KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/kafka/trust.p12"),
                sys, Map.of("kafka.security.protocol", "SASL_SSL", "kafka.sasl.mechanism", "SCRAM-SHA-512", "stream.state.dir", "x"));
        assertThat(got).containsExactlyInAnyOrderEntriesOf(Map.of("security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512", "ssl.truststore.location", "/etc/kafka/trust.p12",
                "ssl.truststore.type", "PKCS12"));
    }

    @Test
    void streamsClientsGetSecuritySettings() throws Exception {
        CompletableFuture<Void> run = CompletableFuture.runAsync(() -> {
            try {
                StreamProcessorMain.run(Map.of("kafka.bootstrap.servers", "127.0.0.1:9",
                        "stream.state.dir", dir.resolve("streams").toString(), "stream.metrics.host", "127.0.0.1",
                        "stream.metrics.port", "0", "kafka.security.protocol", "SASL_SSL", "kafka.sasl.mechanism", "PLAIN"));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Throwable t = null;
        try {
            run.get(120, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            t = e.getCause();
        }
        assertThat(rootMessages(t)).as("stream processor refused to start with SASL_SSL and no JAAS").contains("JAAS");
    }

    private static String rootMessages(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            b.append(c).append(" | ");
        }
        return b.toString();
    }
}
