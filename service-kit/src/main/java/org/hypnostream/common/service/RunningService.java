package org.hypnostream.common.service;

import java.util.concurrent.CompletableFuture;

/**
 * What starting any service (gateway, stream processor, inference, dashboard) returns: a running handle that closes
 * it and tells when it stopped working on its own. {@link #failure()} completes, with the cause, when one of the
 * service's workers (the relay, the inference loop, a Streams client, the dashboard's feed) stopped without being
 * closed; a launcher then ends the process with a non-zero status. It never completes because of {@link #close()}.
 */
public interface RunningService extends Health, AutoCloseable {
    /** The service's name as the launcher knows it: "gateway", "stream-processor", "inference", "dashboard". */
    String name();

    /** Completes with the cause when a worker died; never on a clean close. */
    CompletableFuture<Throwable> failure();

    /** Alive = no worker has died. */
    @Override
    default boolean live() {
        return !failure().isDone();
    }

    /** Stops every worker and releases what the service holds; safe to call more than once. */
    @Override
    void close();
}
