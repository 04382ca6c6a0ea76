package org.hypnostream.inference.service;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.hypnostream.common.config.KafkaClients;
import org.hypnostream.common.event.StateSnapshot;
import org.hypnostream.common.topic.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code inference-state.v1} from the beginning to its end (read_committed, group-less) and keeps the latest
 * snapshot per key; a tombstone removes a key, an undecodable value is logged and skipped (that bed falls back to
 * the look-back).
 */
final class SnapshotReader {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotReader.class);

    private SnapshotReader() {
    }

    /** {@code clientId}: the reading loop's transactional id, the start of this reader's client id. */
    static Map<String, StateSnapshot> readLatest(InferenceConfig cfg, String clientId, Duration deadline) {
        Map<String, Object> c = KafkaClients.committedReader(cfg.kafkaClient(), clientId + "-snapshots");
        Map<String, StateSnapshot> latest = new HashMap<>();
        String topic = Topics.INFERENCE_STATE.name();
        Instant until = Instant.now().plus(deadline);
        long read = 0;
        try (KafkaConsumer<String, byte[]> k = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = k.partitionsFor(topic, deadline);
            if (infos == null || infos.isEmpty()) {
                LOG.warn("inference {}: topic {} does not exist; beds are rebuilt from the look-back only",
                        cfg.instanceId(), topic);
                return latest;
            }
            List<TopicPartition> parts = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            k.assign(parts);
            k.seekToBeginning(parts);
            Map<TopicPartition, Long> ends = new HashMap<>(k.endOffsets(parts));
            ends.keySet().removeIf(tp -> k.position(tp) >= ends.get(tp));
            while (!ends.isEmpty()) {
                if (Instant.now().isAfter(until)) {
                    throw new IllegalStateException("reading " + topic + " did not reach its end " + ends + " within "
                            + deadline);
                }
                for (ConsumerRecord<String, byte[]> r : k.poll(Duration.ofMillis(200))) {
                    read++;
                    if (r.value() == null) {
                        latest.remove(r.key());
                        continue;
                    }
                    try {
                        StateSnapshot s = Topics.INFERENCE_STATE.valueSerde().deserializer().deserialize(topic, r.value());
                        if (!StateSnapshot.key(s.lane(), s.bedId()).equals(r.key())) {
                            throw new IllegalArgumentException("key does not match lane " + s.lane() + " bed " + s.bedId());
                        }
                        latest.put(r.key(), s);
                    } catch (RuntimeException e) {
                        LOG.warn("inference {}: skipping snapshot {}-{}@{} (key {}): {}", cfg.instanceId(), r.topic(),
                                r.partition(), r.offset(), r.key(), e.getMessage());
                    }
                }
                ends.keySet().removeIf(tp -> k.position(tp) >= ends.get(tp));
            }
        }
        LOG.info("inference {}: read {} snapshot records, {} beds x lanes", cfg.instanceId(), read, latest.size());
        return latest;
    }
}
