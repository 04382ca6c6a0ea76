package org.hypnostream.app;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.hypnostream.common.event.StageEvent;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.common.wire.Epoch;
import org.hypnostream.testkit.TopicReader;

/**
 * What a night left in Kafka, read_committed: per bed, how many times each epoch index appears on
 * {@code eeg-epochs.v1} and how many stage events each epoch index got on {@code stage-events.v1}.
 */
record NightLedger(Map<String, Map<Long, Integer>> epochs, Map<String, Map<Long, Integer>> stageEvents) {

    static NightLedger read(String bootstrap) {
        return readTo(bootstrap, SpineEndToEndIT.settledEnds(bootstrap, Topics.EEG_EPOCHS.name()),
                SpineEndToEndIT.settledEnds(bootstrap, Topics.STAGE_EVENTS.name()));
    }

    /**
     * As {@link #read(String)}, each topic read to the given end offsets (a transactional writer's settled end, see
     * {@code EmbeddedKafka.settledEndOffsets}) rather than to a read_committed reader's end of the moment.
     */
    static NightLedger readTo(String bootstrap, Map<TopicPartition, Long> epochEnds, Map<TopicPartition, Long> stageEnds) {
        TopicReader reader = TopicReader.at(bootstrap);
        Map<String, Map<Long, Integer>> epochs = new TreeMap<>();
        for (Epoch e : reader.values(Topics.EEG_EPOCHS, epochEnds)) {
            epochs.computeIfAbsent(e.bedId(), b -> new TreeMap<>()).merge(e.index(), 1, Integer::sum);
        }
        Map<String, Map<Long, Integer>> stages = new TreeMap<>();
        for (StageEvent s : reader.values(Topics.STAGE_EVENTS, stageEnds)) {
            stages.computeIfAbsent(s.bedId(), b -> new TreeMap<>()).merge(s.epochIndex(), 1, Integer::sum);
        }
        return new NightLedger(epochs, stages);
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

    /** Records written to a topic so far (end offsets, all partitions; aborted records and markers included). */
    static long written(Admin admin, String topic) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (var d : admin.describeTopics(List.of(topic)).allTopicNames().get(15, TimeUnit.SECONDS).values()) {
            d.partitions().forEach(p -> latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest()));
        }
        return admin.listOffsets(latest).all().get(15, TimeUnit.SECONDS).values().stream().mapToLong(i -> i.offset()).sum();
    }
}
