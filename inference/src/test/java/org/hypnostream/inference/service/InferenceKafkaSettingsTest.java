package org.hypnostream.inference.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * {@code kafka.*} settings reach every Kafka client of the inference service (producer, group consumer, the
 * state-rebuild and snapshot readers), while the settings exactly-once needs stay the service's. Proof without a
 * SASL broker: {@code security.protocol=SASL_SSL} with mechanism PLAIN and no JAAS configuration makes the real client
 * constructors refuse, naming JAAS; a setting that did not reach the client could not do that.
 */
class InferenceKafkaSettingsTest {
    private static final Map<String, String> ENV = Map.of("kafka.bootstrap.servers", "127.0.0.1:9",
            "kafka.security.protocol", "SASL_SSL", "kafka.sasl.mechanism", "PLAIN",
            "kafka.ssl.truststore.password", "secret-value-42", "kafka.enable.idempotence", "false",
            "kafka.isolation.level", "read_uncommitted", "inference.metrics.port", "-1");

    @Test
    void securitySettingsReachEveryClientAndCannotWeakenExactlyOnce() {
        InferenceConfig cfg = InferenceConfig.fromEnvironment(ENV);
        Map<String, Object> producer = TransactionLoop.producerProps(cfg, Loop.LIVE);
        Map<String, Object> consumer = TransactionLoop.consumerProps(cfg, Loop.LIVE);
        Map<String, Object> reader = cfg.kafkaClient();
        System.out.printf("inference kafka.* pass-through: producer %s=%s, consumer %s=%s, readers %s=%s;"
                + " idempotence=%s isolation=%s kept%n", "security.protocol", producer.get("security.protocol"),
                "sasl.mechanism", consumer.get("sasl.mechanism"), "security.protocol", reader.get("security.protocol"),
                producer.get("enable.idempotence"), consumer.get("isolation.level"));
        assertThat(producer).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "PLAIN")
                .containsEntry("enable.idempotence", "true").containsEntry("acks", "all")
                .containsEntry("transactional.id", cfg.transactionalId());
        assertThat(consumer).containsEntry("security.protocol", "SASL_SSL").containsEntry("isolation.level", "read_committed")
                .containsEntry("group.id", InferenceConfig.GROUP_ID).containsEntry("bootstrap.servers", "127.0.0.1:9");
        assertThat(reader).containsEntry("security.protocol", "SASL_SSL").containsEntry("bootstrap.servers", "127.0.0.1:9");
        assertThat(cfg.toString()).as("no setting value printed").doesNotContain("secret-value-42");
        assertThatThrownBy(() -> new KafkaProducer<>(producer, new StringSerializer(), new ByteArraySerializer()).close())
                .hasStackTraceContaining("JAAS");
        assertThatThrownBy(() -> new KafkaConsumer<>(consumer, new StringDeserializer(), new ByteArrayDeserializer()).close())
                .hasStackTraceContaining("JAAS");
        assertThatThrownBy(() -> new KafkaConsumer<>(reader, new StringDeserializer(), new ByteArrayDeserializer()).close())
                .hasStackTraceContaining("JAAS");
    }

    @Test
    void transactionTimeoutIsADefaultThatAKafkaSettingReplaces() {
        Map<String, Object> byDefault = TransactionLoop.producerProps(InferenceConfig.fromEnvironment(
                Map.of("inference.metrics.port", "-1")), Loop.LIVE);
        Map<String, Object> lowered = TransactionLoop.producerProps(InferenceConfig.fromEnvironment(
                Map.of("inference.metrics.port", "-1", "kafka.transaction.timeout.ms", "10000")), Loop.RESCORE);
        assertThat(byDefault).containsEntry("transaction.timeout.ms", 30_000);
        assertThat(lowered).containsEntry("transaction.timeout.ms", "10000").containsEntry("acks", "all");
    }

    @Test
    void metricsBindEveryAddressByDefaultAndInferenceMetricsHostReplacesIt() {
        assertThat(InferenceConfig.fromEnvironment(Map.of("inference.metrics.port", "-1")).metricsHost())
                .isEqualTo("0.0.0.0");
        InferenceConfig loopback = InferenceConfig.fromEnvironment(Map.of("inference.metrics.port", "-1",
                "inference.metrics.host", "127.0.0.1"));
        assertThat(loopback.metricsHost()).isEqualTo("127.0.0.1");
        assertThat(loopback.withKafkaSettings(Map.of()).withStagerModel("m").metricsHost()).isEqualTo("127.0.0.1");
    }

    @Test
    void fetchMaxWaitIs500MsByDefaultOnBothLoopsAndAKafkaSettingReplacesIt() {
        InferenceConfig byDefault = InferenceConfig.fromEnvironment(Map.of("inference.metrics.port", "-1"));
        assertThat(TransactionLoop.consumerProps(byDefault, Loop.LIVE)).containsEntry("fetch.max.wait.ms", 500);
        assertThat(TransactionLoop.consumerProps(byDefault, Loop.RESCORE)).containsEntry("fetch.max.wait.ms", 500);
        InferenceConfig set = InferenceConfig.fromEnvironment(Map.of("inference.metrics.port", "-1",
                "kafka.fetch.max.wait.ms", "50"));
        assertThat(TransactionLoop.consumerProps(set, Loop.LIVE)).containsEntry("fetch.max.wait.ms", "50");
    }

    @Test
    void theReScoreLoopHasItsOwnGroupAndTransactionalIdAndTheLiveLoopKeepsTheSingleLoopsOnes() {
        InferenceConfig cfg = InferenceConfig.fromEnvironment(Map.of("inference.metrics.port", "-1",
                "inference.instance.id", "inf-2"));
        assertThat(TransactionLoop.producerProps(cfg, Loop.LIVE))
                .containsEntry("transactional.id", "hypnostream-inference-inf-2");
        assertThat(TransactionLoop.consumerProps(cfg, Loop.LIVE)).containsEntry("group.id", "hypnostream-inference")
                .containsEntry("group.instance.id", "inf-2");
        assertThat(TransactionLoop.producerProps(cfg, Loop.RESCORE))
                .containsEntry("transactional.id", "hypnostream-inference-rescore-inf-2")
                .containsEntry("client.id", "hypnostream-inference-rescore-inf-2-producer");
        assertThat(TransactionLoop.consumerProps(cfg, Loop.RESCORE))
                .containsEntry("group.id", "hypnostream-inference-rescore").containsEntry("group.instance.id", "inf-2")
                .containsEntry("isolation.level", "read_committed")
                .containsEntry("max.poll.records", Loop.RESCORE_POLL_RECORDS);
        // instance rescore-inf-2's live transactional id would be instance inf-2's re-score one
        assertThatThrownBy(() -> InferenceConfig.fromEnvironment(Map.of("inference.instance.id", "rescore-inf-2")))
                .hasMessageContaining("must not start with 'rescore-'");
    }
}
