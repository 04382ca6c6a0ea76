package org.hypnostream.common.config;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The one Kafka client factory: every producer, consumer, admin and Streams client of a service starts from
 * {@link #client} (bootstrap servers plus the service's pass-through settings: TLS, SASL, timeouts, see
 * {@link KafkaOverrides}), then applies one recipe, which is set OVER those settings:
 * <ul>
 * <li>{@link #ordered}: a producer that keeps order on fresh partitions (idempotent, acks=all, one request in flight);
 * <li>{@link #transactional}: a transactional producer (transactional.id, idempotent, acks=all);
 * <li>{@link #committedReader}: a reader of committed records without a consumer group;
 * <li>{@link #groupReader}: a consumer-group member reading committed records, from the beginning the first time;
 * <li>{@link #exactlyOnceStreams}: a Kafka Streams application under exactly_once_v2;
 * <li>{@link #admin}: an admin client with bounded timeouts unless the settings bound them.
 * </ul>
 * Tuning a recipe leaves open (linger, batch size, fetch wait) stays with the caller.
 */
public final class KafkaClients {
    /** Kafka Streams' keys, spelled here so that this kit needs kafka-clients only ({@code KafkaClientsTest} checks them). */
    static final String STREAMS_APPLICATION_ID = "application.id";
    static final String STREAMS_PROCESSING_GUARANTEE = "processing.guarantee";
    static final String STREAMS_EXACTLY_ONCE_V2 = "exactly_once_v2";
    static final String STREAMS_CONSUMER_PREFIX = "consumer.";

    private KafkaClients() {
    }

    /** {@code settings} (client properties, e.g. {@code security.protocol}) with {@code bootstrap.servers}. */
    public static Map<String, Object> client(String bootstrapServers, Map<String, String> settings) {
        Map<String, Object> p = new HashMap<>(settings);
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, Objects.requireNonNull(bootstrapServers, "bootstrapServers"));
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
     * Makes producer properties transactional under {@code transactionalId}: idempotent with {@code acks=all}
     * (a transactional producer must be both), whatever they said.
     */
    public static Map<String, Object> transactional(Map<String, Object> producer, String transactionalId) {
        producer.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, Objects.requireNonNull(transactionalId, "transactionalId"));
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
        consumer.put(ConsumerConfig.CLIENT_ID_CONFIG, Objects.requireNonNull(clientId, "clientId"));
        return consumer;
    }

    /**
     * Makes consumer properties a member of {@code groupId} ({@code instanceId}, when not null, makes it a static
     * member) that reads committed records, commits its offsets itself (in a transaction or by hand) and starts a
     * partition without a committed offset at its beginning.
     */
    public static Map<String, Object> groupReader(Map<String, Object> consumer, String groupId, String instanceId,
            String clientId) {
        committedReader(consumer, clientId);
        consumer.put(ConsumerConfig.GROUP_ID_CONFIG, Objects.requireNonNull(groupId, "groupId"));
        if (instanceId != null) {
            consumer.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
        }
        return consumer;
    }

    /**
     * Makes client properties a Kafka Streams application {@code applicationId} under {@code exactly_once_v2}, whose
     * consumers start a partition without a committed offset at its beginning.
     */
    public static Map<String, Object> exactlyOnceStreams(Map<String, Object> streams, String applicationId) {
        streams.put(STREAMS_APPLICATION_ID, Objects.requireNonNull(applicationId, "applicationId"));
        streams.put(STREAMS_PROCESSING_GUARANTEE, STREAMS_EXACTLY_ONCE_V2);
        streams.put(STREAMS_CONSUMER_PREFIX + ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return streams;
    }

    /**
     * Admin client properties: {@code requestTimeoutMs} and {@code apiTimeoutMs} unless {@code settings} set either
     * (both or neither: Kafka refuses an explicit default.api.timeout.ms below request.timeout.ms), then the
     * settings, then the bootstrap servers.
     */
    public static Map<String, Object> admin(String bootstrapServers, Map<String, String> settings, int requestTimeoutMs,
            int apiTimeoutMs) {
        Map<String, Object> p = client(bootstrapServers, settings);
        if (!settings.containsKey(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG)
                && !settings.containsKey(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG)) {
            p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, requestTimeoutMs);
            p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, apiTimeoutMs);
        }
        return p;
    }
}
