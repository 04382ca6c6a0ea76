package org.hypnostream.dashboard.feed;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** Where the dashboard's events come from: the event topics from their beginning (or a test feed). */
public interface EventSource extends AutoCloseable {
    /**
     * Starts delivering batches of decoded events, in topic order per bed and topic, on any thread (possibly more than
     * one: display frames may come from another thread than the events, so there is no order across topics).
     * Every kind the dashboard consumes is a {@link DashboardEvent}.
     */
    void start(Consumer<List<DashboardEvent>> batches);

    /** Completes with the cause when the source stops delivering on its own; never, for a source that cannot die. */
    default CompletableFuture<Throwable> failure() {
        return new CompletableFuture<>();
    }

    @Override
    void close();
}
