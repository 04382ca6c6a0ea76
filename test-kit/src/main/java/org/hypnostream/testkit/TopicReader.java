package org.hypnostream.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.hypnostream.common.config.KafkaClients;
import org.hypnostream.common.topic.Topic;

/**
 * The tests' one way to read a topic from the beginning to a given end: a {@code read_committed} reader without a
 * consumer group ({@link KafkaClients#committedReader}) that reads each partition of {@code ends} from its beginning
 * until its position reaches the partition's end offset, and fails (naming the topic, positions and ends) when that
 * takes longer than the deadline.
 *
 * <p>For a transactional writer's output pass its SETTLED end, {@code EmbeddedKafka.settledEndOffsets(topic, deadline)}
 * (or the static one over any {@code Admin}): the commit markers land after {@code commitTransaction} returns, so a
 * read_committed reader's end offsets of the moment can stop short of the last transaction. This class takes the ends
 * instead of working them out so that the test kit does not depend on the embedded broker.
 */
public final class TopicReader {
    /** How long a read may take unless told otherwise. */
    public static final Duration DEADLINE = Duration.ofSeconds(60);
    /** Largest fetch per partition: a leg window or an EMG segment is far below, several spine records fit. */
    static final int MAX_PARTITION_FETCH_BYTES = 16 * 1024 * 1024;
    private static final AtomicInteger READERS = new AtomicInteger();

    private final String bootstrapServers;
    private final Map<String, String> settings;

    private TopicReader(String bootstrapServers, Map<String, String> settings) {
        this.bootstrapServers = bootstrapServers;
        this.settings = Map.copyOf(settings);
    }

    /** A reader of the cluster at {@code bootstrapServers} (plaintext). */
    public static TopicReader at(String bootstrapServers) {
        return at(bootstrapServers, Map.of());
    }

    /** A reader with extra client {@code settings} (TLS, SASL, ...); the reader's own settings are set over them. */
    public static TopicReader at(String bootstrapServers, Map<String, String> settings) {
        return new TopicReader(bootstrapServers, settings);
    }

    /** {@link #records(Topic, Map, Duration)} with the default {@link #DEADLINE}. */
    public <K, V> List<ConsumerRecord<K, V>> records(Topic<K, V> topic, Map<TopicPartition, Long> ends) {
        return records(topic, ends, DEADLINE);
    }

    /**
     * Every committed record of {@code topic} from the beginning of each partition in {@code ends} up to its end
     * offset (records written after the ends were taken are left out), partition by partition in offset order
     * (partitions in number order).
     *
     * @throws IllegalArgumentException when {@code ends} names a partition of another topic
     * @throws IllegalStateException when the ends are not reached within {@code deadline}
     */
    public <K, V> List<ConsumerRecord<K, V>> records(Topic<K, V> topic, Map<TopicPartition, Long> ends,
            Duration deadline) {
        for (TopicPartition tp : ends.keySet()) {
            if (!tp.topic().equals(topic.name())) {
                throw new IllegalArgumentException("end offsets of " + tp + " given for a read of " + topic.name());
            }
        }
        Map<String, Object> cfg = KafkaClients.committedReader(KafkaClients.client(bootstrapServers, settings),
                "topic-reader-" + READERS.incrementAndGet());
        cfg.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, MAX_PARTITION_FETCH_BYTES);
        Map<Integer, List<ConsumerRecord<K, V>>> byPartition = new TreeMap<>();
        try (KafkaConsumer<K, V> c = new KafkaConsumer<>(cfg, topic.keySerde().deserializer(),
                topic.valueSerde().deserializer())) {
            List<TopicPartition> parts = new ArrayList<>(ends.keySet());
            c.assign(parts);
            c.seekToBeginning(parts);
            long until = System.nanoTime() + deadline.toNanos();
            while (parts.stream().anyMatch(p -> c.position(p) < ends.get(p))) {
                if (System.nanoTime() > until) {
                    Map<TopicPartition, Long> at = new TreeMap<>(Comparator.comparingInt(TopicPartition::partition));
                    parts.forEach(p -> at.put(p, c.position(p)));
                    throw new IllegalStateException(topic.name() + " not read to " + ends + " within " + deadline
                            + ": positions " + at);
                }
                for (ConsumerRecord<K, V> r : c.poll(Duration.ofMillis(200))) {
                    // records written after the ends were taken are not part of this read
                    if (r.offset() < ends.get(new TopicPartition(r.topic(), r.partition()))) {
                        byPartition.computeIfAbsent(r.partition(), p -> new ArrayList<>()).add(r);
                    }
                }
            }
        }
        List<ConsumerRecord<K, V>> out = new ArrayList<>();
        byPartition.values().forEach(out::addAll);
        return out;
    }

    /** The values of {@link #records(Topic, Map)}. */
    public <K, V> List<V> values(Topic<K, V> topic, Map<TopicPartition, Long> ends) {
        return records(topic, ends).stream().map(ConsumerRecord::value).toList();
    }
}
