package org.hypnostream.inference.service;

import io.micrometer.core.instrument.Tags;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.hypnostream.common.event.StateSnapshot;

/**
 * One kind of scoring the {@link InferenceService} runs in one of its transaction loops ({@link #loop()}): an input
 * topic, per-bed causal state and a batch scorer producing events. Implementations: {@link StageLane} (eeg-epochs ->
 * stage-events) and, on the {@link RecordLane} scaffolding, {@link LegLane} and {@link EmgLane} (live loop);
 * {@link RevisedLane} and {@link RescoreRequestLane} (re-score loop). Called from its loop's thread only.
 */
public interface Lane {
    /** Short name for logs and metric tags, e.g. "stage". */
    String name();

    /** The loop this lane runs on: {@link Loop#LIVE} unless it re-scores (seconds per record) off the live path. */
    default Loop loop() {
        return Loop.LIVE;
    }

    /**
     * True for a lane whose outputs are not on the stage path and whose readers commit at a slower cadence anyway
     * (the leg lane: PLM scoring commits every 250 ms): its inputs wait up to {@link TransactionLoop#OFF_STAGE_PATH_WAIT}
     * to ride in the next transaction instead of opening one of their own (ADR 0033). False (the default): an input
     * is scored within {@code inference.batch.wait.ms}.
     */
    default boolean offStagePath() {
        return false;
    }

    /** The topic this lane consumes (raw bytes; the lane decodes and dead-letters what it cannot decode). */
    String inputTopic();

    /** Model id and provider tags for the batch metrics. */
    Tags tags();

    /**
     * Scores a batch of input records (arrival order, possibly many beds, possibly several records of one bed in
     * index order), advancing each bed's state; returns exactly one {@link Scored} per input record, in order.
     * An undecodable or unusable record yields a dead letter, never an exception and never nothing.
     */
    List<Scored> score(List<ConsumerRecord<String, byte[]>> batch, Instant now);

    /** Folds records that were already scored before a restart into the per-bed state, emitting nothing. */
    void rebuild(List<ConsumerRecord<String, byte[]>> history);

    /**
     * Snapshots of every bed whose state changed since the last call (scored or rebuilt), taken now; the service
     * writes them to {@code inference-state.v1} in the transaction that commits those inputs. Empty for a lane that
     * keeps no snapshots (its beds are rebuilt from the look-back only).
     */
    default List<StateSnapshot> snapshots() {
        return List.of();
    }

    /**
     * Restores per-bed state from the latest snapshots of beds on this lane's newly assigned partitions (already
     * filtered to this lane and those partitions). Snapshots of another model build, or that do not decode, are
     * skipped (logged). Returns, per restored bed, the input offset its snapshot covers: the look-back rebuild skips
     * that bed's records up to it.
     */
    default Map<String, Long> restore(List<StateSnapshot> latest) {
        return Map.of();
    }

    /** Forgets the per-bed state of beds on these input partitions (revoked, or about to be rebuilt). */
    void forget(Collection<TopicPartition> partitions);
}
