package org.hypnostream.inference.runtime;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Groups inputs that arrive together (e.g. many beds closing an epoch at once) into batches of at most
 * {@code maxSize}, scored by one call. A batch is due when it is full or its oldest input has waited
 * {@code maxWait}. First in, first out: outputs come back in input order. Pure logic, single-threaded, time from
 * the injected clock.
 */
public final class MicroBatcher<I, O> {
    /** Told about each scored batch: its size and how long its oldest input waited. */
    public interface Listener {
        void batch(int size, Duration oldestWait);
    }

    private record Queued<I>(I item, Instant arrived) {
    }

    private final int maxSize;
    private final Duration maxWait;
    private final InstantSource clock;
    private final Function<List<I>, List<O>> score;
    private final Listener listener;
    private final ArrayDeque<Queued<I>> queue = new ArrayDeque<>();

    public MicroBatcher(int maxSize, Duration maxWait, InstantSource clock, Function<List<I>, List<O>> score,
            Listener listener) {
        if (maxSize < 1) {
            throw new IllegalArgumentException("batch size " + maxSize + " < 1");
        }
        if (maxWait.isNegative()) {
            throw new IllegalArgumentException("negative batch wait " + maxWait);
        }
        this.maxSize = maxSize;
        this.maxWait = maxWait;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.score = Objects.requireNonNull(score, "score");
        this.listener = listener == null ? (n, w) -> { } : listener;
    }

    public void add(I item) {
        queue.add(new Queued<>(item, clock.instant()));
    }

    public int pending() {
        return queue.size();
    }

    /** Time until the oldest pending input is due (zero if due now), or empty when nothing is pending. */
    public Optional<Duration> untilDue() {
        if (queue.isEmpty()) {
            return Optional.empty();
        }
        if (queue.size() >= maxSize) {
            return Optional.of(Duration.ZERO);
        }
        Duration left = maxWait.minus(Duration.between(queue.peek().arrived(), clock.instant()));
        return Optional.of(left.isNegative() ? Duration.ZERO : left);
    }

    /** Scores every full batch, then the partial rest if its oldest input has waited {@code maxWait}. */
    public List<O> flushDue() {
        List<O> out = new ArrayList<>();
        while (queue.size() >= maxSize) {
            out.addAll(scoreNext());
        }
        if (!queue.isEmpty() && untilDue().orElseThrow().isZero()) {
            out.addAll(scoreNext());
        }
        return out;
    }

    /** Scores everything pending (shutdown, or a caller that must not wait). */
    public List<O> flushAll() {
        List<O> out = new ArrayList<>();
        while (!queue.isEmpty()) {
            out.addAll(scoreNext());
        }
        return out;
    }

    /** Drops everything pending (after an aborted transaction the inputs are read again). */
    public void clear() {
        queue.clear();
    }

    private List<O> scoreNext() {
        int n = Math.min(maxSize, queue.size());
        List<I> batch = new ArrayList<>(n);
        Instant oldest = queue.peek().arrived();
        for (int i = 0; i < n; i++) {
            batch.add(queue.poll().item());
        }
        listener.batch(n, Duration.between(oldest, clock.instant()));
        List<O> out = score.apply(batch);
        if (out.size() != n) {
            throw new IllegalStateException("scorer returned " + out.size() + " outputs for a batch of " + n);
        }
        return out;
    }
}
