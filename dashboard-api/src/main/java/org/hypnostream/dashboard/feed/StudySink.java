package org.hypnostream.dashboard.feed;

import java.util.concurrent.CompletionStage;
import org.hypnostream.common.study.BedsideEvent;
import org.hypnostream.common.study.StudyEvent;

/** Where lifecycle marks ({@code study-events.v1}) and bedside events ({@code bedside-events.v1}) go. */
public interface StudySink {
    /** Completes once durably written (acks=all). */
    CompletionStage<Void> publish(StudyEvent event);

    CompletionStage<Void> publish(BedsideEvent event);
}
