package org.hypnostream.dashboard;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.hypnostream.common.event.AlertAction;
import org.hypnostream.dashboard.feed.AlertActionSink;
import org.hypnostream.dashboard.feed.EventSource;

/**
 * An in-memory topic log: events are appended and delivered in order; alert actions are appended to the same log
 * (as they come back from alert-actions.v1). A restarted dashboard on the same feed re-reads the log from the start.
 */
public final class MemoryFeed implements EventSource, AlertActionSink {
    private final List<Object> log = new ArrayList<>();
    private final List<AlertAction> actions = Collections.synchronizedList(new ArrayList<>());
    private Consumer<List<Object>> sink;

    @Override
    public synchronized void start(Consumer<List<Object>> batches) {
        sink = batches;
        if (!log.isEmpty()) {
            sink.accept(List.copyOf(log));
        }
    }

    public synchronized void publish(Object... events) {
        log.addAll(List.of(events));
        if (sink != null) {
            sink.accept(List.of(events));
        }
    }

    @Override
    public CompletionStage<Void> publish(AlertAction action) {
        actions.add(action);
        publish((Object) action);
        return CompletableFuture.completedFuture(null);
    }

    public List<AlertAction> actions() {
        return List.copyOf(actions);
    }

    @Override
    public synchronized void close() {
        sink = null;
    }
}
