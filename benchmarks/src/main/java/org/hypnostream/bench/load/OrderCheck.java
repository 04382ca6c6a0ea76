package org.hypnostream.bench.load;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.hypnostream.common.config.KafkaClients;
import org.hypnostream.common.event.JsonCodec;
import org.hypnostream.common.topic.Topic;

/**
 * Per-bed order on one topic: reads it (read_committed) from the beginning to its end offsets and checks that each
 * bed's epoch indices, in offset order, go up by exactly one from the first: no gap, no duplicate, no reordering.
 * A bed is the record key, so all its records sit on one partition and offset order is the order a consumer sees.
 */
public final class OrderCheck {
    /** What one topic showed: records, beds, and the beds whose sequence broke (with the first break). */
    public record Result(String topic, long records, long bytes, int beds, long undecodable, Map<String, String> broken) {
        public boolean ordered() {
            return broken.isEmpty() && undecodable == 0;
        }

        public ObjectNode json() {
            ObjectNode o = JsonCodec.mapper().createObjectNode();
            o.put("topic", topic);
            o.put("records", records);
            o.put("value_bytes", bytes);
            o.put("beds", beds);
            o.put("undecodable", undecodable);
            o.put("ordered", ordered());
            ObjectNode b = o.putObject("broken");
            broken.entrySet().stream().limit(10).forEach(e -> b.put(e.getKey(), e.getValue()));
            return o;
        }
    }

    /** Extracts (bed, epoch index) from one record's value. */
    public interface Indexer<V> {
        long epochIndex(V value);
    }

    /** The pure part: per bed, each index must be the previous one + 1; remembers the first break of each bed. */
    static final class Tracker {
        private final Map<String, Long> last = new HashMap<>();
        private final Map<String, String> broken = new HashMap<>();

        void accept(String bed, long index, String where) {
            Long prev = last.put(bed, index);
            if (prev != null && index != prev + 1 && !broken.containsKey(bed)) {
                broken.put(bed, "epoch " + index + " after " + prev + " at " + where);
            }
        }

        int beds() {
            return last.size();
        }

        Map<String, String> broken() {
            return Map.copyOf(broken);
        }
    }

    private OrderCheck() {
    }

    public static <V> Result check(String bootstrapServers, Topic<String, V> topic, Indexer<V> indexer, Duration timeout) {
        Map<String, Object> p = KafkaClients.committedReader(KafkaClients.client(bootstrapServers, Map.of()), "bench-order-check");
        Tracker tracker = new Tracker();
        long records = 0;
        long bytes = 0;
        long bad = 0;
        var deserializer = topic.valueSerde().deserializer();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            c.partitionsFor(topic.name(), Duration.ofSeconds(30)).forEach(i -> parts.add(new TopicPartition(topic.name(), i.partition())));
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (end.entrySet().stream().anyMatch(e -> c.position(e.getKey()) < e.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("order check: " + topic.name() + " not read to its end within " + timeout);
                }
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    records++;
                    bytes += r.value() == null ? 0 : r.value().length;
                    long idx;
                    try {
                        idx = indexer.epochIndex(deserializer.deserialize(r.topic(), r.value()));
                    } catch (RuntimeException e) {
                        bad++;
                        continue;
                    }
                    tracker.accept(r.key(), idx, r.partition() + "@" + r.offset());
                }
            }
        }
        return new Result(topic.name(), records, bytes, tracker.beds(), bad, tracker.broken());
    }
}
