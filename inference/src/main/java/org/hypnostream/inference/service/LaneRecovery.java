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
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
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
 */
final class LaneRecovery implements ConsumerRebalanceListener {
    private static final Logger LOG = LoggerFactory.getLogger(LaneRecovery.class);

    private final InferenceConfig cfg;
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
    LaneRecovery(InferenceConfig cfg, Map<String, Lane> lanes, Collection<? extends MicroBatcher<?, ?>> batchers,
            Consumer<String, byte[]> consumer, Duration rebuildDeadline, Runnable afterAssignment) {
        this.cfg = cfg;
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
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(partitions));
        Map<TopicPartition, Long> ends = new HashMap<>();
        committed.forEach((tp, om) -> {
            if (om != null) {
                ends.put(tp, om.offset());
                consumer.seek(tp, om.offset());
            }
        });
        Map<TopicPartition, Long> begins = consumer.beginningOffsets(partitions);
        Map<String, Map<String, Long>> restored = restoreSnapshots(ends);
        new StateRebuilder(cfg, lanes).rebuild(ends, begins, restored, rebuildDeadline);
    }

    /**
     * Hands each lane the latest snapshots of beds on its partitions in {@code ends} (those with a committed offset);
     * returns, per input topic, the restored beds and the input offset each snapshot covers.
     */
    private Map<String, Map<String, Long>> restoreSnapshots(Map<TopicPartition, Long> ends) {
        Map<String, Map<String, Long>> restored = new HashMap<>();
        if (ends.isEmpty()) {
            return restored;
        }
        Map<String, StateSnapshot> latest = SnapshotReader.readLatest(cfg, rebuildDeadline);
        for (Lane lane : lanes.values()) {
            List<StateSnapshot> mine = latest.values().stream().filter(s -> s.lane().equals(lane.name())
                    && s.inputTopic().equals(lane.inputTopic())
                    && s.inputOffset() < ends.getOrDefault(new TopicPartition(s.inputTopic(), s.inputPartition()), -1L))
                    .toList();
            if (!mine.isEmpty()) {
                Map<String, Long> beds = lane.restore(mine);
                restored.put(lane.inputTopic(), beds);
                LOG.info("inference {}: lane {} restored {} of {} bed snapshots", cfg.instanceId(), lane.name(),
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
            consumer.committed(Set.copyOf(kept)).forEach((tp, om) -> {
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
            LOG.info("inference {}: assigned {}, rebuilding state", cfg.instanceId(), partitions);
            rewind(partitions);
        }
        afterAssignment.run();
    }
}
