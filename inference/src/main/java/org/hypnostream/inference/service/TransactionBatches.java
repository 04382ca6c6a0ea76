package org.hypnostream.inference.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hypnostream.inference.runtime.MicroBatcher;

/**
 * What one transaction of a {@link TransactionLoop} carries (ADR 0033): the loop's micro-batchers, one per input
 * topic, each with its own wait. A transaction is due when any batcher is due (full, or its oldest input has waited
 * that batcher's wait); then EVERY pending input of every batcher is scored and rides in that one transaction. So a
 * lane off the stage path (leg windows: their readers, PLM scoring, commit every 250 ms themselves) is given a long
 * wait and its inputs, instead of opening a transaction of their own after 5 ms, are carried by the next stage
 * transaction or, when none comes within the long wait, by one of their own. A transaction costs the broker a fixed
 * set of requests whatever it carries, so fewer, fuller transactions are fewer requests; exactly-once is unchanged
 * (each scored input's offset commits with its outputs, an input not yet scored is not yet committed).
 * Pure logic, single-threaded, time from the batchers' injected clock.
 */
final class TransactionBatches<I, O> {
    private final Map<String, MicroBatcher<I, O>> batchers = new LinkedHashMap<>();

    /** Adds the batcher of one input topic; a topic twice is an error. */
    void put(String topic, MicroBatcher<I, O> batcher) {
        if (batchers.putIfAbsent(topic, batcher) != null) {
            throw new IllegalArgumentException("two batchers for topic " + topic);
        }
    }

    /** Queues one input of {@code topic}; a topic without a batcher is an error (the loop subscribes to its lanes only). */
    void add(String topic, I input) {
        MicroBatcher<I, O> b = batchers.get(topic);
        if (b == null) {
            throw new IllegalArgumentException("no batcher for topic " + topic);
        }
        b.add(input);
    }

    /** Time until the next transaction is due (zero if due now), or empty when nothing is pending. */
    Optional<Duration> untilDue() {
        Optional<Duration> min = Optional.empty();
        for (MicroBatcher<I, O> b : batchers.values()) {
            Optional<Duration> d = b.untilDue();
            if (d.isPresent() && (min.isEmpty() || d.get().compareTo(min.get()) < 0)) {
                min = d;
            }
        }
        return min;
    }

    /**
     * When a transaction is due, scores everything pending in every batcher (full batches of each, in arrival order
     * per topic) and returns the outputs; otherwise scores nothing and returns an empty list.
     */
    List<O> flushIfDue() {
        if (untilDue().filter(Duration::isZero).isEmpty()) {
            return List.of();
        }
        List<O> out = new ArrayList<>();
        for (MicroBatcher<I, O> b : batchers.values()) {
            out.addAll(b.flushAll());
        }
        return out;
    }

    /** Inputs waiting, over every topic. */
    int pending() {
        return batchers.values().stream().mapToInt(MicroBatcher::pending).sum();
    }

    /** The batchers (a live view; {@link LaneRecovery} clears them on a rewind or a revocation). */
    Collection<MicroBatcher<I, O>> batchers() {
        return batchers.values();
    }
}
