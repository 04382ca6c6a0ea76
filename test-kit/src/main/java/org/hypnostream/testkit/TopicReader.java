package org.hypnostream.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.hypnostream.common.config.KafkaClients;
import org.hypnostream.common.topic.Topic;

/**
 * The tests' one way to read a topic from the beginning: a {@code read_committed} reader without a consumer group
 * ({@link KafkaClients#committedReader}), in two modes.
 * <ul>
 * <li>{@link #records(Topic, Map)}: to a given end. It reads each partition of {@code ends} from its beginning until
 * its position reaches the partition's end offset. For a transactional writer's output pass its SETTLED end,
 * {@code EmbeddedKafka.settledEndOffsets(topic, deadline)} (or the static one over any {@code Admin}): the commit
 * markers land after {@code commitTransaction} returns, so a read_committed reader's end offsets of the moment can
 * stop short of the last transaction. The reader takes the ends instead of working them out so that the test kit does
 * not depend on the embedded broker.
 * <li>{@link #awaitRecords}: until a condition on what it has read holds (output still being written).
 * </ul>
 * Both fail with an {@link AssertionError} naming the topic and how far they got when the deadline passes.
 */
public final class TopicReader {
    /** How long a read to an end may take unless told otherwise. */
    public static final Duration DEADLINE = Duration.ofSeconds(60);
    /** Largest fetch per partition: a leg window or an EMG segment is far below, several spine records fit. */
    static final int MAX_PARTITION_FETCH_BYTES = 16 * 1024 * 1024;
    private static final Duration POLL = Duration.ofMillis(200);
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
     * @throws AssertionError when the ends are not reached within {@code deadline}
     */
    public <K, V> List<ConsumerRecord<K, V>> records(Topic<K, V> topic, Map<TopicPartition, Long> ends,
            Duration deadline) {
        for (TopicPartition tp : ends.keySet()) {
            if (!tp.topic().equals(topic.name())) {
                throw new IllegalArgumentException("end offsets of " + tp + " given for a read of " + topic.name());
            }
        }
        Map<Integer, List<ConsumerRecord<K, V>>> byPartition = new TreeMap<>();
        try (KafkaConsumer<K, V> c = consumer(topic)) {
            List<TopicPartition> parts = new ArrayList<>(ends.keySet());
            c.assign(parts);
            c.seekToBeginning(parts);
            long until = System.nanoTime() + deadline.toNanos();
            while (parts.stream().anyMatch(p -> c.position(p) < ends.get(p))) {
                if (System.nanoTime() > until) {
                    Map<TopicPartition, Long> at = new TreeMap<>(Comparator.comparingInt(TopicPartition::partition));
                    parts.forEach(p -> at.put(p, c.position(p)));
                    throw new AssertionError(topic.name() + " not read to " + ends + " within " + deadline
                            + ": positions " + at);
                }
                for (ConsumerRecord<K, V> r : c.poll(POLL)) {
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

    /**
     * What a {@code read_committed} reader sees NOW: the values of every partition from its beginning to its last
     * stable offset of the moment (an open transaction, e.g. a killed writer's, stops it there). Not a way to read all
     * that a transactional writer committed (its last commit marker may still be on its way): that is
     * {@link #values(Topic, Map)} to the settled ends.
     */
    public <K, V> List<V> valuesNow(Topic<K, V> topic) {
        Map<TopicPartition, Long> ends;
        try (KafkaConsumer<K, V> c = consumer(topic)) {
            List<TopicPartition> parts = c.partitionsFor(topic.name(), DEADLINE).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            ends = c.endOffsets(parts, DEADLINE);
        }
        return values(topic, ends);
    }

    /**
     * Reads {@code topic} from the beginning of every partition until {@code done} holds for the records read so far
     * (in the order they arrived; tested after every poll, so it may also assert, e.g. that a service is still
     * alive), and returns them.
     *
     * @throws AssertionError when {@code done} does not hold within {@code deadline}: names the topic, the count
     *     and the last few values
     */
    public <K, V> List<ConsumerRecord<K, V>> awaitRecords(Topic<K, V> topic,
            Predicate<? super List<ConsumerRecord<K, V>>> done, Duration deadline) {
        List<ConsumerRecord<K, V>> out = new ArrayList<>();
        try (KafkaConsumer<K, V> c = consumer(topic)) {
            List<TopicPartition> parts = c.partitionsFor(topic.name(), deadline).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            long until = System.nanoTime() + deadline.toNanos();
            while (!done.test(out)) {
                if (System.nanoTime() > until) {
                    throw new AssertionError("condition on " + topic.name() + " not met within " + deadline + ": "
                            + out.size() + " records, the last: " + out.subList(Math.max(0, out.size() - 5), out.size())
                                    .stream().map(ConsumerRecord::value).toList());
                }
                c.poll(POLL).forEach(out::add);
            }
        }
        return out;
    }

    /** {@link #awaitRecords} on the values read so far; returns them. */
    public <K, V> List<V> awaitValues(Topic<K, V> topic, Predicate<? super List<V>> done, Duration deadline) {
        List<V> values = new ArrayList<>();
        awaitRecords(topic, records -> {
            for (int i = values.size(); i < records.size(); i++) {
                values.add(records.get(i).value());
            }
            return done.test(values);
        }, deadline);
        return values;
    }

    private <K, V> KafkaConsumer<K, V> consumer(Topic<K, V> topic) {
        Map<String, Object> cfg = KafkaClients.committedReader(KafkaClients.client(bootstrapServers, settings),
                "topic-reader-" + READERS.incrementAndGet());
        cfg.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, MAX_PARTITION_FETCH_BYTES);
        return new KafkaConsumer<>(cfg, topic.keySerde().deserializer(), topic.valueSerde().deserializer());
    }
}
