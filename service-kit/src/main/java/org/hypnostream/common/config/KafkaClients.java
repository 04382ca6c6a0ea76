package org.hypnostream.common.config;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Where every Kafka client's properties start: the bootstrap servers plus the service's pass-through settings (TLS,
 * SASL, timeouts: {@link KafkaOverrides}), and the two roles written once: a producer that keeps order on fresh
 * partitions, and a reader of committed records without a consumer group.
 */
public final class KafkaClients {
    private KafkaClients() {
    }

    /** {@code settings} (client properties, e.g. {@code security.protocol}) with {@code bootstrap.servers}. */
    public static Map<String, Object> client(String bootstrapServers, Map<String, String> settings) {
        Map<String, Object> p = new HashMap<>(settings);
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return p;
    }

    /**
     * Makes producer properties idempotent with {@code acks=all} and ONE request in flight, whatever they said: with
     * several in flight, a partition whose producer state is still empty (just created, or after a leader change)
     * can append a later batch before an earlier one, which then fails forever with OUT_OF_ORDER_SEQUENCE_NUMBER
     * (Kafka 4.3; ADR 0010).
     */
    public static Map<String, Object> ordered(Map<String, Object> producer) {
        producer.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        return producer;
    }

    /**
     * Makes consumer properties a reader without a group: committed records only ({@code read_committed}), no offset
     * commits, from the beginning of a partition it is assigned (unless it seeks).
     */
    public static Map<String, Object> committedReader(Map<String, Object> consumer, String clientId) {
        consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        return consumer;
    }
}
