package org.hypnostream.dashboard;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.hypnostream.common.event.AlertAction;
import org.hypnostream.dashboard.feed.AlertActionSink;
import org.hypnostream.dashboard.feed.DashboardEvent;
import org.hypnostream.dashboard.feed.EventSource;
import org.hypnostream.dashboard.feed.StudySink;
import org.hypnostream.common.study.BedsideEvent;
import org.hypnostream.common.study.StudyEvent;

/**
 * An in-memory topic log: events are appended and delivered in order; alert actions are appended to the same log
 * (as they come back from alert-actions.v1), and so are study marks and bedside events. A restarted dashboard on the
 * same feed re-reads the log from the start.
 */
public final class MemoryFeed implements EventSource, AlertActionSink, StudySink {
    private final List<Object> log = new ArrayList<>();
    private final List<AlertAction> actions = Collections.synchronizedList(new ArrayList<>());
    private final List<Object> written = Collections.synchronizedList(new ArrayList<>());

    @Override
    public CompletionStage<Void> publish(StudyEvent e) {
        written.add(e);
        publish((Object) e);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> publish(BedsideEvent e) {
        written.add(e);
        publish((Object) e);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> publish(org.hypnostream.common.review.ReviewEvent e) {
        written.add(e);
        publish((Object) e);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> publish(org.hypnostream.common.event.RescoreRequest q) {
        written.add(q);
        return CompletableFuture.completedFuture(null);
    }

    /** Study marks, bedside events, review events and re-score requests written through the dashboard, in order. */
    public List<Object> written() {
        return List.copyOf(written);
    }
    private Consumer<List<DashboardEvent>> sink;

    @Override
    public synchronized void start(Consumer<List<DashboardEvent>> batches) {
        sink = batches;
        if (!log.isEmpty()) {
            sink.accept(events(log));
        }
    }

    /** Appends decoded topic records (or display frames) and delivers them as the feed does. */
    public synchronized void publish(Object... events) {
        log.addAll(List.of(events));
        if (sink != null) {
            sink.accept(events(List.of(events)));
        }
    }

    private static List<DashboardEvent> events(List<Object> values) {
        return values.stream().map(DashboardEvent::of).toList();
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
