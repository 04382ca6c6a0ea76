package org.hypnostream.app;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.hypnostream.common.config.KafkaClients;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.common.wire.SampleBlockCodec;

/**
 * Counts what actually went through Kafka, per bed and topic, reading each topic from the beginning to its end
 * (read_committed). Samples are counted as distinct (source, seq) so a re-sent duplicate is not a second delivery;
 * the number of duplicates is kept apart.
 */
final class TopicCounts {
    private final Map<String, Map<String, Long>> perBed = new TreeMap<>();
    private final Map<String, Long> duplicates = new TreeMap<>();

    static TopicCounts read(String bootstrap, List<String> topics) {
        TopicCounts counts = new TopicCounts();
        Map<String, Object> cfg = KafkaClients.committedReader(KafkaClients.client(bootstrap, Map.of()), "hypnostream-topic-counts");
        cfg.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(cfg, new StringDeserializer(), new ByteArrayDeserializer())) {
            for (String topic : topics) {
                counts.readTopic(c, topic);
            }
        }
        return counts;
    }

    private void readTopic(KafkaConsumer<String, byte[]> c, String topic) {
        List<TopicPartition> parts = new ArrayList<>();
        c.partitionsFor(topic, Duration.ofSeconds(30)).forEach(p -> parts.add(new TopicPartition(topic, p.partition())));
        c.assign(parts);
        c.seekToBeginning(parts);
        Map<TopicPartition, Long> end = c.endOffsets(parts, Duration.ofSeconds(30));
        Set<String> seen = new HashSet<>();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!reachedEnd(c, end) && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                String bed = r.key() == null ? "(none)" : r.key();
                if (topic.equals(Topics.SAMPLES.name())) {
                    String id = sampleId(r.value());
                    if (id != null && !seen.add(id)) {
                        duplicates.merge(bed, 1L, Long::sum);
                        continue;
                    }
                }
                perBed.computeIfAbsent(bed, b -> new TreeMap<>()).merge(topic, 1L, Long::sum);
            }
        }
    }

    private static String sampleId(byte[] value) {
        try {
            var b = SampleBlockCodec.decode(value);
            return b.sourceId() + "#" + b.seq();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static boolean reachedEnd(KafkaConsumer<String, byte[]> c, Map<TopicPartition, Long> end) {
        for (var e : end.entrySet()) {
            if (c.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    long count(String bed, String topic) {
        return perBed.getOrDefault(bed, Map.of()).getOrDefault(topic, 0L);
    }

    long duplicates(String bed) {
        return duplicates.getOrDefault(bed, 0L);
    }
}
