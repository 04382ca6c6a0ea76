package org.hypnostream.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.hypnostream.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's {@code kafka.*} settings reach the producer it builds (lives in app's tests, in ingest's package, to
 * reach the package-private {@code Gateway.producerProperties}). SASL_SSL with PLAIN and no JAAS configuration makes
 * the real {@link KafkaProducer} constructor refuse, naming JAAS: proof the settings got there.
 */
class GatewayKafkaSettingsTest {

    @TempDir
    Path dir;

    @Test
    void securitySettingsReachTheProducer() {
        GatewayOptions o = GatewayOptions.fromEnvironment(Map.of("kafka.bootstrap.servers", "127.0.0.1:9",
                "gateway.outbox.dir", dir.resolve("outbox").toString(), "gateway.metrics.port", "-1",
                "kafka.security.protocol", "SASL_SSL", "kafka.sasl.mechanism", "PLAIN"));
        Properties p = Gateway.producerProperties(o.gateway());
        assertThat(p).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "PLAIN")
                .containsEntry("enable.idempotence", "true").containsEntry("acks", "all");
        assertThatThrownBy(() -> new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer()).close())
                .hasStackTraceContaining("JAAS");
    }

    @Test
    void batchesAreSizedForOneRequestOfFourPartitionsAndAKafkaSettingReplacesThat() {
        Map<String, String> env = Map.of("kafka.bootstrap.servers", "127.0.0.1:9", "gateway.outbox.dir",
                dir.resolve("outbox").toString(), "gateway.metrics.port", "-1");
        Properties p = Gateway.producerProperties(GatewayOptions.fromEnvironment(env).gateway());
        assertThat(p).containsEntry("batch.size", "262144").containsEntry("linger.ms", "5");
        // four partitions' open batches fill one request (max.request.size, Kafka's default 1 MiB) and no more
        assertThat(4 * Integer.parseInt((String) p.get("batch.size")))
                .isEqualTo(org.apache.kafka.clients.producer.ProducerConfig.configDef().defaultValues().get("max.request.size"));
        Map<String, String> larger = new java.util.HashMap<>(env);
        larger.put("kafka.batch.size", "524288");
        assertThat(Gateway.producerProperties(GatewayOptions.fromEnvironment(larger).gateway())).containsEntry("batch.size", "524288");
    }

    @Test
    void settingsThatWouldLoseDataAreRefusedAsConfiguration() {
        assertThatThrownBy(() -> GatewayOptions.fromEnvironment(Map.of("kafka.bootstrap.servers", "127.0.0.1:9",
                "gateway.outbox.dir", dir.resolve("outbox").toString(), "kafka.acks", "1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("acks=all");
    }
}
