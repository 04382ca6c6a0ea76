package org.hypnostream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.hypnostream.broker.EmbeddedKafka;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.common.wire.Epoch;
import org.hypnostream.ingest.Gateway;
import org.hypnostream.ingest.GatewayOptions;
import org.hypnostream.ingest.source.AmplifierSource;
import org.hypnostream.ingest.source.SyntheticAmplifier;
import org.hypnostream.inference.service.InferenceConfig;
import org.hypnostream.stream.StreamProcessorMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka over TLS against a real broker: the in-process KRaft broker gets an SSL listener on loopback with a
 * self-signed certificate made by {@code keytool}; a trust store holds that certificate. Through the
 * {@code kafka.*} pass-through settings only ({@code kafka.security.protocol=SSL},
 * {@code kafka.ssl.truststore.location/password/type}): the gateway delivers a 2-minute synthetic night to
 * {@code samples.v1}, the stream processor (Kafka Streams, exactly-once) reads it and writes epochs, and a consumer
 * built from the inference service's client configuration reads every block back. A client that speaks TLS but
 * lacks the trust store is refused (SSL handshake failure).
 */
class KafkaTlsIT {
    private static final String PASSWORD = "kafka-tls-" + Long.toHexString(System.nanoTime());
    private static final long BLOCKS = 2 * 120; // 2 minutes at 256 Hz and at 200 Hz, 1-s blocks

    @TempDir
    Path dir;

    @Test
    void gatewayStreamProcessorAndInferenceClientTalkTlsAndAClientWithoutTheTrustStoreIsRefused() throws Exception {
        Path keyStore = dir.resolve("broker.p12");
        Path cert = dir.resolve("broker.crt");
        Path trustStore = dir.resolve("truststore.p12");
        SelfSigned.keytool("-genkeypair", "-alias", "broker", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
                "-keystore", keyStore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
        SelfSigned.keytool("-exportcert", "-rfc", "-alias", "broker", "-keystore", keyStore.toString(), "-storepass", PASSWORD,
                "-file", cert.toString());
        SelfSigned.keytool("-importcert", "-noprompt", "-alias", "broker", "-file", cert.toString(), "-storetype", "PKCS12",
                "-keystore", trustStore.toString(), "-storepass", PASSWORD);
        try (EmbeddedKafka kafka = EmbeddedKafka.startWithTls(dir.resolve("broker"), new EmbeddedKafka.Tls(keyStore, PASSWORD))) {
            kafka.createTopics(1);
            String tls = kafka.sslBootstrapServers();
            Map<String, String> settings = Map.of(
                    "kafka.bootstrap.servers", tls,
                    "kafka.security.protocol", "SSL",
                    "kafka.ssl.truststore.location", trustStore.toString(),
                    "kafka.ssl.truststore.password", PASSWORD,
                    "kafka.ssl.truststore.type", "PKCS12");

            Map<String, String> streamEnv = new HashMap<>(settings);
            streamEnv.putAll(Map.of("stream.state.dir", dir.resolve("streams").toString(), "stream.metrics.host", "127.0.0.1",
                    "stream.metrics.port", "0"));
            CompletableFuture<Void> streams = new CompletableFuture<>();
            Thread streamThread = new Thread(() -> {
                try {
                    StreamProcessorMain.run(streamEnv); // runs until interrupted
                    streams.complete(null);
                } catch (InterruptedException e) {
                    streams.complete(null);
                } catch (RuntimeException | Error e) {
                    streams.completeExceptionally(e);
                }
            }, "stream-processor-over-tls");
            streamThread.start();

            Map<String, String> gatewayEnv = new HashMap<>(settings);
            gatewayEnv.putAll(Map.of("gateway.id", "gw-tls", "gateway.outbox.dir", dir.resolve("outbox").toString(),
                    "gateway.speed", "max", "gateway.metrics.port", "-1"));
            GatewayOptions o = GatewayOptions.fromEnvironment(gatewayEnv);
            Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            List<AmplifierSource> beds = List.of(new SyntheticAmplifier("bed-1", 1, start, Duration.ofMinutes(2)));
            long delivered;
            try (Gateway g = Gateway.start(o.gateway(), beds, InstantSource.system(), new SimpleMeterRegistry())) {
                g.awaitSourcesDrained(Duration.ofMinutes(2));
                delivered = g.stats().blocksDelivered();
            }

            InferenceConfig ic = InferenceConfig.fromEnvironment(Map.of("kafka.bootstrap.servers", tls,
                    "kafka.security.protocol", "SSL", "kafka.ssl.truststore.location", trustStore.toString(),
                    "kafka.ssl.truststore.password", PASSWORD, "kafka.ssl.truststore.type", "PKCS12",
                    "inference.metrics.port", "-1"));
            long readOverTls = countSamples(ic.kafkaClient());

            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            List<Epoch> epochs = SpineEndToEndIT.readEpochs(kafka.bootstrapServers());
            while (epochs.size() < 3) {
                assertThat(streams).as("stream processor running").isNotDone();
                assertThat(System.nanoTime()).as("epochs written by the stream processor over TLS, got %d", epochs.size())
                        .isLessThan(deadline);
                Thread.sleep(500);
                epochs = SpineEndToEndIT.readEpochs(kafka.bootstrapServers());
            }
            streamThread.interrupt();
            streams.get(60, TimeUnit.SECONDS);

            Map<String, Object> untrusting = new HashMap<>();
            untrusting.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, tls);
            untrusting.put(AdminClientConfig.SECURITY_PROTOCOL_CONFIG, "SSL");
            untrusting.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
            Throwable refused;
            try (Admin admin = Admin.create(untrusting)) {
                refused = org.assertj.core.api.Assertions.catchThrowable(
                        () -> admin.describeCluster().nodes().get(60, TimeUnit.SECONDS));
            }
            System.out.printf("kafka tls: broker SSL listener %s (self-signed EC certificate); gateway journaled/delivered"
                    + " %d blocks over TLS, inference-config consumer read %d, stream processor wrote %d epochs;"
                    + " client without the trust store: %s%n", tls, delivered, readOverTls, epochs.size(),
                    refused == null ? "ACCEPTED" : refused.getCause());
            assertThat(delivered).as("blocks delivered by the gateway over TLS").isEqualTo(BLOCKS);
            assertThat(readOverTls).as("blocks read over TLS with the inference client settings").isEqualTo(BLOCKS);
            assertThat(epochs).as("epochs from the stream processor over TLS").allSatisfy(e -> assertThat(e.bedId()).isEqualTo("bed-1"));
            assertThat(refused).as("client without the trust store").isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(SslAuthenticationException.class);
            assertThatThrownBy(() -> GatewayOptions.fromEnvironment(Map.of("kafka.bootstrap.servers", tls,
                    "gateway.outbox.dir", dir.resolve("o2").toString(), "kafka.acks", "1")))
                    .as("pass-through cannot weaken acks").hasMessageContaining("acks=all");
        }
    }

    private static long countSamples(Map<String, Object> client) {
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(client, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            c.partitionsFor(Topics.SAMPLES.name(), Duration.ofSeconds(30))
                    .forEach(p -> parts.add(new TopicPartition(p.topic(), p.partition())));
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts, Duration.ofSeconds(30));
            long n = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (parts.stream().anyMatch(p -> c.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                n += c.poll(Duration.ofMillis(500)).count();
            }
            return n;
        }
    }
}
