package org.hypnostream.app;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.hypnostream.common.event.StageEvent;
import org.hypnostream.common.topic.Topic;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.common.wire.Epoch;

/**
 * What a night left in Kafka, read_committed: per bed, how many times each epoch index appears on
 * {@code eeg-epochs.v1} and how many stage events each epoch index got on {@code stage-events.v1}.
 */
record NightLedger(Map<String, Map<Long, Integer>> epochs, Map<String, Map<Long, Integer>> stageEvents) {

    static NightLedger read(String bootstrap) {
        Map<String, Map<Long, Integer>> epochs = new TreeMap<>();
        for (Epoch e : SpineEndToEndIT.readEpochs(bootstrap)) {
            epochs.computeIfAbsent(e.bedId(), b -> new TreeMap<>()).merge(e.index(), 1, Integer::sum);
        }
        Map<String, Map<Long, Integer>> stages = new TreeMap<>();
        for (StageEvent s : readStageEvents(bootstrap)) {
            stages.computeIfAbsent(s.bedId(), b -> new TreeMap<>()).merge(s.epochIndex(), 1, Integer::sum);
        }
        return new NightLedger(epochs, stages);
    }

    /**
     * As {@link #read(String)}, each topic read to the given end offsets (a transactional writer's settled end, see
     * {@code EmbeddedKafka.settledEndOffsets}) rather than to a read_committed reader's end of the moment.
     */
    static NightLedger readTo(String bootstrap, Map<TopicPartition, Long> epochEnds, Map<TopicPartition, Long> stageEnds) {
        Map<String, Map<Long, Integer>> epochs = new TreeMap<>();
        for (Epoch e : readTo(bootstrap, Topics.EEG_EPOCHS, epochEnds)) {
            epochs.computeIfAbsent(e.bedId(), b -> new TreeMap<>()).merge(e.index(), 1, Integer::sum);
        }
        Map<String, Map<Long, Integer>> stages = new TreeMap<>();
        for (StageEvent s : readTo(bootstrap, Topics.STAGE_EVENTS, stageEnds)) {
            stages.computeIfAbsent(s.bedId(), b -> new TreeMap<>()).merge(s.epochIndex(), 1, Integer::sum);
        }
        return new NightLedger(epochs, stages);
    }

    /** Every committed value of {@code topic} up to {@code ends}; fails when they cannot be read within 60 s. */
    static <V> List<V> readTo(String bootstrap, Topic<String, V> topic, Map<TopicPartition, Long> ends) {
        Map<String, Object> cfg = new HashMap<>();
        cfg.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        cfg.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        cfg.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024);
        List<V> out = new ArrayList<>();
        try (var c = new KafkaConsumer<>(cfg, topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            List<TopicPartition> parts = new ArrayList<>(ends.keySet());
            c.assign(parts);
            c.seekToBeginning(parts);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (parts.stream().anyMatch(p -> c.position(p) < ends.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(topic.name() + " not read to " + ends + " within 60 s");
                }
                for (ConsumerRecord<String, V> r : c.poll(Duration.ofMillis(500))) {
                    out.add(r.value());
                }
            }
        }
        return out;
    }

    /** True when every bed has exactly epochs 0..n-1 and stage events for each of them (maybe more, checked later). */
    boolean complete(List<String> beds, long epochsPerBed) {
        for (String bed : beds) {
            for (long i = 0; i < epochsPerBed; i++) {
                if (!epochs.getOrDefault(bed, Map.of()).containsKey(i) || !stageEvents.getOrDefault(bed, Map.of()).containsKey(i)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Expected entries (0..n-1 per bed) that are absent. */
    static long missing(Map<String, Map<Long, Integer>> counts, List<String> beds, long perBed) {
        long n = 0;
        for (String bed : beds) {
            for (long i = 0; i < perBed; i++) {
                if (!counts.getOrDefault(bed, Map.of()).containsKey(i)) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Occurrences beyond the first, plus any index outside 0..n-1 or any unexpected bed. */
    static long extra(Map<String, Map<Long, Integer>> counts, List<String> beds, long perBed) {
        long n = 0;
        for (var bed : counts.entrySet()) {
            for (var e : bed.getValue().entrySet()) {
                boolean expected = beds.contains(bed.getKey()) && e.getKey() >= 0 && e.getKey() < perBed;
                n += expected ? e.getValue() - 1 : e.getValue();
            }
        }
        return n;
    }

    static long total(Map<String, Map<Long, Integer>> counts) {
        return counts.values().stream().flatMap(m -> m.values().stream()).mapToLong(Integer::longValue).sum();
    }

    static List<StageEvent> readStageEvents(String bootstrap) {
        Map<String, Object> cfg = new HashMap<>();
        cfg.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        cfg.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<StageEvent> out = new ArrayList<>();
        try (var c = new KafkaConsumer<>(cfg, Topics.STAGE_EVENTS.keySerde().deserializer(),
                Topics.STAGE_EVENTS.valueSerde().deserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            c.partitionsFor(Topics.STAGE_EVENTS.name()).forEach(p -> parts.add(new TopicPartition(p.topic(), p.partition())));
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = SpineEndToEndIT.settledEnds(bootstrap, Topics.STAGE_EVENTS.name());
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (parts.stream().anyMatch(p -> c.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, StageEvent> r : c.poll(Duration.ofMillis(500))) {
                    out.add(r.value());
                }
            }
        }
        return out;
    }

    /** Records written to a topic so far (end offsets, all partitions; aborted records and markers included). */
    static long written(Admin admin, String topic) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (var d : admin.describeTopics(List.of(topic)).allTopicNames().get(15, TimeUnit.SECONDS).values()) {
            d.partitions().forEach(p -> latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest()));
        }
        return admin.listOffsets(latest).all().get(15, TimeUnit.SECONDS).values().stream().mapToLong(i -> i.offset()).sum();
    }
}
