package org.hypnostream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.hypnostream.broker.EmbeddedKafka;
import org.hypnostream.common.event.Alert;
import org.hypnostream.common.event.AlertPriority;
import org.hypnostream.common.event.AlertState;
import org.hypnostream.common.event.BedInfo;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.ingest.GatewayOptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Kafka over TLS against a real broker: the in-process KRaft broker gets an SSL listener on loopback with a
 * self-signed certificate made by {@code keytool}; a trust store holds that certificate. Through the
 * {@code kafka.*} pass-through settings only ({@code kafka.security.protocol=SSL},
 * {@code kafka.ssl.truststore.location/password/type}): the gateway delivers a 2-minute synthetic night to
 * {@code samples.v1}, the stream processor (Kafka Streams, exactly-once) reads it and writes epochs, the inference
 * service scores every epoch (transactional); the dashboard's feed reads stage events and its producer writes an alarm
 * acknowledgement. A client that speaks TLS but lacks the trust store is refused (SSL handshake failure). In the second
 * run the listener requires mutual TLS ({@code ssl.client.auth=required}): every service also presents its own
 * certificate ({@code kafka.ssl.keystore.*}), and a client that trusts the broker but has no certificate is refused.
 */
class KafkaTlsIT {
    private static final String PASSWORD = "kafka-tls-" + Long.toHexString(System.nanoTime());
    private static final long BLOCKS = NightOverKafka.BLOCKS;
    private static final long EPOCHS = NightOverKafka.EPOCHS;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "mutual TLS {0}")
    @ValueSource(booleans = {false, true})
    void gatewayStreamProcessorInferenceAndDashboardTalkTlsAndClientsWithoutTheTrustStoreOrKeyAreRefused(boolean mutual)
            throws Exception {
        SelfSigned.KafkaBroker cert = SelfSigned.kafkaBroker(dir, PASSWORD);
        SelfSigned.KafkaClient client = mutual ? SelfSigned.kafkaClient(dir, "hypnostream-service", PASSWORD) : null;
        EmbeddedKafka.Tls listener = mutual ? new EmbeddedKafka.Tls(cert.tls().keyStore(), PASSWORD, client.brokerTrustStore())
                : cert.tls();
        try (EmbeddedKafka kafka = EmbeddedKafka.startWithTls(dir.resolve("broker"), listener)) {
            kafka.createTopics(1);
            String tls = kafka.sslBootstrapServers();
            Map<String, String> settings = new HashMap<>(cert.trustSettings());
            settings.putAll(Map.of("kafka.bootstrap.servers", tls, "kafka.security.protocol", "SSL"));
            if (mutual) {
                settings.putAll(client.keySettings());
            }

            String[] dashboard = new String[1];
            NightOverKafka.Night night = NightOverKafka.run(kafka, dir, "tls", settings, settings, settings, () -> true,
                    () -> dashboard[0] = dashboardOverTls(settings));

            Map<String, Object> untrusting = new HashMap<>();
            untrusting.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, tls);
            untrusting.put(AdminClientConfig.SECURITY_PROTOCOL_CONFIG, "SSL");
            untrusting.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
            Throwable refused = refusal(untrusting);
            // mutual TLS: trusting the broker is not enough, the client must show a certificate the broker trusts
            Map<String, Object> keyless = new HashMap<>(untrusting);
            cert.trustSettings().forEach((k, v) -> keyless.put(k.substring("kafka.".length()), v));
            Throwable keylessRefused = mutual ? refusal(keyless) : null;
            System.out.printf("kafka tls: broker SSL listener %s (self-signed EC certificate, client certificates %s);"
                    + " gateway journaled/delivered %d blocks over TLS, stream processor wrote %d epochs, inference service"
                    + " wrote %d stage events; dashboard: %s; client without the trust store: %s; client without a key: %s%n",
                    tls, mutual ? "required" : "not asked", night.delivered(), night.epochs().size(),
                    night.stageEvents().size(), dashboard[0], refused == null ? "ACCEPTED" : refused.getCause(),
                    mutual ? (keylessRefused == null ? "ACCEPTED" : keylessRefused.getCause()) : "not tried");
            assertThat(night.delivered()).as("blocks delivered by the gateway over TLS").isEqualTo(BLOCKS);
            assertThat(night.epochs()).as("epochs from the stream processor over TLS").hasSize((int) EPOCHS)
                    .allSatisfy(e -> assertThat(e.bedId()).isEqualTo("bed-1"));
            assertThat(night.stageEvents()).as("stage events from the inference service over TLS").hasSize((int) EPOCHS);
            assertThat(refused).as("client without the trust store").isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(SslAuthenticationException.class);
            if (mutual) {
                assertThat(keylessRefused).as("client without a certificate of its own").isInstanceOf(ExecutionException.class)
                        .hasCauseInstanceOf(SslAuthenticationException.class);
            }
            assertThatThrownBy(() -> GatewayOptions.fromEnvironment(Map.of("kafka.bootstrap.servers", tls,
                    "gateway.outbox.dir", dir.resolve("o2").toString(), "kafka.acks", "1")))
                    .as("pass-through cannot weaken acks").hasMessageContaining("acks=all");
        }
    }

    /** What refused a client with these properties (null: it was let in). */
    private static Throwable refusal(Map<String, Object> client) {
        try (Admin admin = Admin.create(client)) {
            return org.assertj.core.api.Assertions.catchThrowable(() -> admin.describeCluster().nodes().get(60, TimeUnit.SECONDS));
        }
    }

    /**
     * The dashboard with the same {@code kafka.*} settings: the inference service's stage events, with a bed and an alert
     * produced over TLS, reach its feed (seen through REST), and acknowledging the alert is written back over TLS (202 =
     * Kafka acknowledged).
     */
    private String dashboardOverTls(Map<String, String> settings) throws Exception {
        Map<String, Object> p = new HashMap<>();
        settings.forEach((k, v) -> p.put(k.substring("kafka.".length()), v));
        p.put("acks", "all");
        Instant start = Instant.parse("2026-11-20T22:00:00Z");
        try (var producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            send(producer, Topics.BEDS, new BedInfo("bed-1", "ward-a", "Bed 1", start, List.of("Fpz-Cz"), "WASM2016"));
            send(producer, Topics.ALERTS, new Alert("tls-alert-1", "bed-1", false, "TEST_ALERT", AlertPriority.LOW,
                    AlertState.ACTIVE, "test", start, start, null, null));
        }
        DashboardOverKafka.Seen seen = DashboardOverKafka.feedAndAcknowledge(dir, settings, EPOCHS, "tls-alert-1", "TLS");
        return "feed read " + seen.stages() + " stage events, acknowledge answered " + seen.acknowledgeStatus();
    }

    private static <V> void send(KafkaProducer<String, String> producer, org.hypnostream.common.topic.Topic<String, V> topic,
            V value) throws Exception {
        String json = new String(topic.valueSerde().serializer().serialize(topic.name(), value), StandardCharsets.UTF_8);
        producer.send(new ProducerRecord<>(topic.name(), "bed-1", json)).get(30, TimeUnit.SECONDS);
    }
}
