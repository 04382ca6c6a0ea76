package org.hypnostream.inference.service;

import java.time.Duration;
import java.time.Instant;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads, with a short-lived group-less read_committed consumer, up to {@code lookBackEpochs} records before each
 * partition's committed offset and folds them into the lanes' per-bed state (no events).
 */
final class StateRebuilder {
    private static final Logger LOG = LoggerFactory.getLogger(StateRebuilder.class);
    private final InferenceConfig cfg;
    private final String clientId;
    private final Map<String, Lane> lanes;

    /** {@code clientId}: the loop's transactional id, the start of this reader's client id. */
    StateRebuilder(InferenceConfig cfg, String clientId, Map<String, Lane> lanes) {
        this.cfg = cfg;
        this.clientId = clientId;
        this.lanes = lanes;
    }

    /**
     * {@code ends}: committed offset per partition (exclusive end of the history); {@code begins}: log start;
     * {@code restored}: per input topic, beds restored from a snapshot and the input offset it covers (their
     * records up to it are skipped).
     */
    void rebuild(Map<TopicPartition, Long> ends, Map<TopicPartition, Long> begins,
            Map<String, Map<String, Long>> restored, Duration deadline) {
        Map<TopicPartition, Long> starts = new HashMap<>();
        ends.forEach((tp, end) -> {
            long start = Math.max(begins.getOrDefault(tp, 0L), end - cfg.lookBackEpochs());
            if (start < end) {
                starts.put(tp, start);
            }
        });
        if (starts.isEmpty()) {
            return;
        }
        Map<String, Object> c = KafkaClients.committedReader(cfg.kafkaClient(), clientId + "-rebuild");
        Map<String, List<ConsumerRecord<String, byte[]>>> history = new HashMap<>();
        int n = 0;
        Instant until = Instant.now().plus(deadline);
        try (KafkaConsumer<String, byte[]> k = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
            k.assign(starts.keySet());
            starts.forEach(k::seek);
            Map<TopicPartition, Long> left = new HashMap<>(starts);
            while (!left.isEmpty()) {
                if (Instant.now().isAfter(until)) {
                    throw new IllegalStateException("state rebuild did not reach committed offsets " + ends + " within "
                            + deadline);
                }
                for (ConsumerRecord<String, byte[]> r : k.poll(Duration.ofMillis(200))) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    Long covered = restored.getOrDefault(r.topic(), Map.of()).get(r.key());
                    if (r.offset() < ends.get(tp) && (covered == null || r.offset() > covered)) {
                        history.computeIfAbsent(r.topic(), t -> new ArrayList<>()).add(r);
                        n++;
                    }
                }
                left.keySet().removeIf(tp -> k.position(tp) >= ends.get(tp));
            }
        }
        history.forEach((topic, records) -> lanes.get(topic).rebuild(records));
        LOG.info("inference {}: rebuilt per-bed state from {} records before {}", clientId, n, ends);
    }
}
