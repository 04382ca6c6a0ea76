package org.hypnostream.dashboard.feed;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the records of the display topics (EEG epochs into traces + multitaper spectrogram, EMG segments into
 * envelopes) into frames on its own thread, so that the feed thread hands stage events, alerts and the rest to the
 * dashboard without waiting for spectrograms. One thread: each bed's frames keep their topic order. Bounded: at most
 * {@code maxInFlight} records wait; beyond that {@link #submit} blocks the feed (back-pressure, nothing dropped).
 */
final class FrameWorker<R> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FrameWorker.class);

    private final Function<R, DashboardEvent> decode;
    private final Consumer<List<DashboardEvent>> batches;
    private final Semaphore room;
    private final int maxInFlight;
    private final ExecutorService thread;

    FrameWorker(String threadName, int maxInFlight, Function<R, DashboardEvent> decode,
            Consumer<List<DashboardEvent>> batches) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be >= 1, got " + maxInFlight);
        }
        this.decode = decode;
        this.batches = batches;
        this.room = new Semaphore(maxInFlight);
        this.maxInFlight = maxInFlight;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Queues {@code records} (in order); blocks while the queue is full and {@code running} holds.
     *
     * @return false when it gave up because {@code running} turned false or the thread was interrupted
     */
    boolean submit(List<R> records, BooleanSupplier running) {
        if (records.isEmpty()) {
            return true;
        }
        int n = records.size();
        int permits = Math.min(n, maxInFlight); // a bigger batch waits for an empty queue
        try {
            while (!room.tryAcquire(permits, 100, TimeUnit.MILLISECONDS)) {
                if (!running.getAsBoolean()) {
                    return false;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        List<R> mine = List.copyOf(records);
        try {
            thread.execute(() -> {
                try {
                    List<DashboardEvent> out = new ArrayList<>(mine.size());
                    for (R r : mine) {
                        DashboardEvent v = decode.apply(r);
                        if (v != null) {
                            out.add(v);
                        }
                    }
                    if (!out.isEmpty()) {
                        batches.accept(out);
                    }
                } catch (RuntimeException e) {
                    LOG.error("dashboard frame worker: {}", e.toString(), e);
                } finally {
                    room.release(permits);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            room.release(permits);
            return false; // closed
        }
        return true;
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
