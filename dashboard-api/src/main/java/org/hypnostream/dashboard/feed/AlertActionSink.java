package org.hypnostream.dashboard.feed;

import java.util.concurrent.CompletionStage;
import org.hypnostream.common.event.AlertAction;

/** Where acknowledge/silence actions go ({@code alert-actions.v1}); completes when durably written. */
public interface AlertActionSink extends AutoCloseable {
    CompletionStage<Void> publish(AlertAction action);

    @Override
    void close();
}
