package org.hypnostream.inference.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.hypnostream.common.config.KafkaClients;
import org.hypnostream.common.event.StateSnapshot;
import org.hypnostream.inference.runtime.MicroBatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state recovery of the inference loop, apart from its polling: on partition assignment, and after a failed
 * transaction, it drops the pending inputs, seeks to the committed offsets, hands each lane the latest
 * {@code inference-state.v1} snapshots of the beds on its partitions (same lane and input topic, covering an offset
 * before the committed one; the lane checks the model sha256) and rebuilds beds without one by re-scoring (without
 * emitting) up to {@code lookBackEpochs} records per partition ({@link StateRebuilder}). On revocation it drops what
 * the lanes held of the revoked partitions and reads the kept ones again from their committed offsets. Runs on the
 * loop's thread (a rebalance listener is called from inside {@code poll}).
 *
 * <p>A partition without a committed offset in the loop's group, in a loop with a {@link Loop#handoverGroup()} (the
 * re-score loop), starts where that group committed it, and that offset is committed in the loop's group at once: an
 * upgrade from the single loop, whose group read the re-score topics before, neither repeats nor skips a mark or a
 * request (ADR 0022). Without either, the partition starts at its beginning.
 */
final class LaneRecovery implements ConsumerRebalanceListener {
    private static final Logger LOG = LoggerFactory.getLogger(LaneRecovery.class);

    private final InferenceConfig cfg;
    private final Loop loop;
    private final String clientId;
    private final Map<String, Lane> lanes;
    private final Collection<? extends MicroBatcher<?, ?>> batchers;
    private final Consumer<String, byte[]> consumer;
    private final Duration rebuildDeadline;
    private final Runnable afterAssignment;

    /**
     * @param lanes           by input topic
     * @param batchers        the loop's micro-batchers (a live view: cleared on every rewind and revocation)
     * @param afterAssignment called after each assignment's recovery (the service's first-assignment latch)
     */
    LaneRecovery(InferenceConfig cfg, Loop loop, Map<String, Lane> lanes,
            Collection<? extends MicroBatcher<?, ?>> batchers, Consumer<String, byte[]> consumer, Duration rebuildDeadline,
            Runnable afterAssignment) {
        this.cfg = cfg;
        this.loop = loop;
        this.clientId = loop.transactionalId(cfg);
        this.lanes = lanes;
        this.batchers = batchers;
        this.consumer = consumer;
        this.rebuildDeadline = rebuildDeadline;
        this.afterAssignment = afterAssignment;
    }

    /** Drops pending inputs, rebuilds per-bed state from the input topic and seeks to the committed offsets. */
    void rewind(Collection<TopicPartition> partitions) {
        batchers.forEach(MicroBatcher::clear);
        if (partitions.isEmpty()) {
            return;
        }
        lanes.values().forEach(l -> l.forget(partitions));
        Map<TopicPartition, OffsetAndMetadata> committed = committed(Set.copyOf(partitions));
        Map<TopicPartition, Long> ends = new HashMap<>();
        committed.forEach((tp, om) -> {
            if (om != null) {
                ends.put(tp, om.offset());
                consumer.seek(tp, om.offset());
            }
        });
        Map<TopicPartition, Long> begins = consumer.beginningOffsets(partitions);
        Map<String, Map<String, Long>> restored = restoreSnapshots(ends);
        new StateRebuilder(cfg, clientId, lanes).rebuild(ends, begins, restored, rebuildDeadline);
    }

    /**
     * The committed offsets of {@code partitions} in the loop's group; where there is none and the loop has a handover
     * group, that group's committed offset, committed in the loop's group now (null where neither has one).
     */
    private Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>(consumer.committed(partitions));
        List<TopicPartition> none = partitions.stream().filter(tp -> committed.get(tp) == null).toList();
        if (loop.handoverGroup() == null || none.isEmpty()) {
            return committed;
        }
        Map<String, Object> c = KafkaClients.groupReader(cfg.kafkaClient(), loop.handoverGroup(), null,
                clientId + "-handover");
        Map<TopicPartition, OffsetAndMetadata> taken = new HashMap<>();
        try (KafkaConsumer<String, byte[]> previous = new KafkaConsumer<>(c, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            // never subscribes: reads the group's committed offsets (stable ones: read_committed) without joining it
            previous.committed(Set.copyOf(none), rebuildDeadline).forEach((tp, om) -> {
                if (om != null) {
                    taken.put(tp, new OffsetAndMetadata(om.offset()));
                }
            });
        }
        if (!taken.isEmpty()) {
            consumer.commitSync(taken, rebuildDeadline);
            committed.putAll(taken);
            LOG.info("inference {}: {} starts where group {} committed {}", name(), loop.groupId(), loop.handoverGroup(),
                    taken);
        }
        return committed;
    }

    private String name() {
        return cfg.instanceId() + " " + loop.tag();
    }

    /**
     * Hands each lane the latest snapshots of beds on its partitions in {@code ends} (those with a committed offset);
     * returns, per input topic, the restored beds and the input offset each snapshot covers.
     */
    private Map<String, Map<String, Long>> restoreSnapshots(Map<TopicPartition, Long> ends) {
        Map<String, Map<String, Long>> restored = new HashMap<>();
        if (ends.isEmpty() || !loop.snapshots()) {
            return restored;
        }
        Map<String, StateSnapshot> latest = SnapshotReader.readLatest(cfg, clientId, rebuildDeadline);
        for (Lane lane : lanes.values()) {
            List<StateSnapshot> mine = latest.values().stream().filter(s -> s.lane().equals(lane.name())
                    && s.inputTopic().equals(lane.inputTopic())
                    && s.inputOffset() < ends.getOrDefault(new TopicPartition(s.inputTopic(), s.inputPartition()), -1L))
                    .toList();
            if (!mine.isEmpty()) {
                Map<String, Long> beds = lane.restore(mine);
                restored.put(lane.inputTopic(), beds);
                LOG.info("inference {}: lane {} restored {} of {} bed snapshots", name(), lane.name(),
                        beds.size(), mine.size());
            }
        }
        return restored;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        batchers.forEach(MicroBatcher::clear);
        lanes.values().forEach(l -> l.forget(partitions));
        // records of partitions we keep were dropped with the batchers: read them again
        Collection<TopicPartition> kept = new ArrayList<>(consumer.assignment());
        kept.removeAll(partitions);
        if (!kept.isEmpty()) {
            committed(Set.copyOf(kept)).forEach((tp, om) -> {
                if (om != null) {
                    consumer.seek(tp, om.offset());
                } else {
                    consumer.seekToBeginning(List.of(tp));
                }
            });
        }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        onPartitionsRevoked(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        if (!partitions.isEmpty()) {
            LOG.info("inference {}: assigned {}, rebuilding state", name(), partitions);
            rewind(partitions);
        }
        afterAssignment.run();
    }
}
