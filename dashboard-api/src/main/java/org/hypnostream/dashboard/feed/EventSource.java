package org.hypnostream.dashboard.feed;

import java.util.List;
import java.util.function.Consumer;

/** Where the dashboard's events come from: the event topics from their beginning (or a test feed). */
public interface EventSource extends AutoCloseable {
    /** Starts delivering batches of decoded events, in topic order per bed, on any thread. */
    void start(Consumer<List<Object>> batches);

    @Override
    void close();
}
