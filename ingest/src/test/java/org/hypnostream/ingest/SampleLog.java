package org.hypnostream.ingest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.common.wire.SampleBlock;
import org.hypnostream.common.wire.SampleBlockCodec;

/** Test helper: everything in samples.v1, as seqs per source id in partition (= arrival) order. */
final class SampleLog {
    final Map<String, List<Long>> seqs = new TreeMap<>();
    final Map<String, String> keyOfSource = new HashMap<>();
    int records;

    /** Reads the topic from the beginning up to its current end offsets. */
    static SampleLog readAll(String bootstrap) {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        SampleLog log = new SampleLog();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            consumer.partitionsFor(Topics.SAMPLES.name(), Duration.ofSeconds(30))
                    .forEach(p -> parts.add(new TopicPartition(p.topic(), p.partition())));
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (parts.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read samples.v1 to its end " + end);
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    SampleBlock b = SampleBlockCodec.decode(r.value());
                    log.seqs.computeIfAbsent(b.sourceId(), s -> new ArrayList<>()).add(b.seq());
                    log.keyOfSource.put(b.sourceId(), r.key());
                    if (!r.key().equals(b.bedId())) {
                        throw new AssertionError("record key " + r.key() + " is not the bed id " + b.bedId());
                    }
                    log.records++;
                }
            }
        }
        return log;
    }

    /** Records minus distinct (source, seq) pairs. */
    int duplicates() {
        int distinct = 0;
        for (List<Long> l : seqs.values()) {
            distinct += new TreeSet<>(l).size();
        }
        return records - distinct;
    }

    /** True when the distinct seqs of every source are exactly 0..max. */
    boolean gapFree() {
        for (List<Long> l : seqs.values()) {
            TreeSet<Long> s = new TreeSet<>(l);
            if (s.first() != 0 || s.last() != s.size() - 1) {
                return false;
            }
        }
        return true;
    }
}
