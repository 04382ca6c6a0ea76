package org.hypnostream.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class KafkaClientsTest {
    /** What an operator passes through (kafka.* settings), trying to weaken every recipe. */
    private static final Map<String, String> WEAKENING = Map.of("security.protocol", "SASL_SSL",
            "acks", "1", "max.in.flight.requests.per.connection", "5", "enable.idempotence", "false",
            "isolation.level", "read_uncommitted", "enable.auto.commit", "true", "processing.guarantee", "at_least_once",
            "bootstrap.servers", "elsewhere:1");

    @Test
    void clientPassesSettingsThroughAndTheBootstrapServersWin() {
        assertThat(KafkaClients.client("h:9092", WEAKENING)).containsEntry("bootstrap.servers", "h:9092")
                .containsEntry("security.protocol", "SASL_SSL").containsEntry("acks", "1");
        assertThatThrownBy(() -> KafkaClients.client(null, Map.of())).isInstanceOf(NullPointerException.class);
    }

    @Test
    void orderedProducerIsIdempotentWithAcksAllAndOneRequestInFlight() {
        Map<String, Object> p = KafkaClients.ordered(KafkaClients.client("h:9092", WEAKENING));
        assertThat(p).containsEntry("bootstrap.servers", "h:9092").containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("acks", "all").containsEntry("max.in.flight.requests.per.connection", "1")
                .containsEntry("enable.idempotence", "true").doesNotContainKey("transactional.id");
    }

    @Test
    void transactionalProducerIsIdempotentWithAcksAll() {
        Map<String, Object> p = KafkaClients.transactional(KafkaClients.client("h:9092", WEAKENING), "inf-1");
        assertThat(p).containsEntry(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "inf-1").containsEntry("acks", "all")
                .containsEntry("enable.idempotence", "true").containsEntry("security.protocol", "SASL_SSL");
    }

    @Test
    void committedReaderHasNoGroupAndReadsCommittedFromTheBeginning() {
        Map<String, Object> c = KafkaClients.committedReader(KafkaClients.client("h:9092", WEAKENING), "reader-1");
        assertThat(c).containsEntry("isolation.level", "read_committed").containsEntry("enable.auto.commit", "false")
                .containsEntry("auto.offset.reset", "earliest").containsEntry("client.id", "reader-1")
                .containsEntry("security.protocol", "SASL_SSL").doesNotContainKey("group.id");
    }

    @Test
    void groupReaderIsACommittedReaderInAGroup() {
        Map<String, Object> c = KafkaClients.groupReader(KafkaClients.client("h:9092", WEAKENING), "g", "inst-1", "c-1");
        assertThat(c).containsEntry(ConsumerConfig.GROUP_ID_CONFIG, "g")
                .containsEntry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "inst-1").containsEntry("client.id", "c-1")
                .containsEntry("isolation.level", "read_committed").containsEntry("enable.auto.commit", "false")
                .containsEntry("auto.offset.reset", "earliest");
        assertThat(KafkaClients.groupReader(KafkaClients.client("h:9092", Map.of()), "g", null, "c-1"))
                .doesNotContainKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    }

    @Test
    void streamsAreExactlyOnceV2AndStartFromTheBeginning() {
        Map<String, Object> s = KafkaClients.exactlyOnceStreams(KafkaClients.client("h:9092", WEAKENING), "app-1");
        assertThat(s).containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "app-1")
                .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2)
                .containsEntry(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest")
                .containsEntry(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "h:9092")
                .containsEntry("security.protocol", "SASL_SSL");
        // the keys are what Kafka Streams reads: a Streams config built from them says exactly-once
        StreamsConfig parsed = new StreamsConfig(s);
        assertThat(parsed.getString(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
        assertThat(parsed.getMainConsumerConfigs("g", "c", 0)).containsEntry("auto.offset.reset", "earliest")
                .containsEntry("isolation.level", "read_committed");
    }

    @Test
    void adminBoundsItsTimeoutsUnlessTheSettingsBoundEither() {
        assertThat(KafkaClients.admin("h:9092", Map.of("security.protocol", "SSL"), 15_000, 20_000))
                .containsEntry(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000)
                .containsEntry(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000)
                .containsEntry("security.protocol", "SSL").containsEntry("bootstrap.servers", "h:9092");
        assertThat(KafkaClients.admin("h:9092", Map.of("request.timeout.ms", "60000"), 15_000, 20_000))
                .containsEntry(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "60000")
                .doesNotContainKey(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG);
    }
}
