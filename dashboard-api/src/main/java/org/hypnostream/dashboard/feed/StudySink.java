package org.hypnostream.dashboard.feed;

import java.util.concurrent.CompletionStage;
import org.hypnostream.common.study.BedsideEvent;
import org.hypnostream.common.study.StudyEvent;

/** Where lifecycle marks ({@code study-events.v1}) and bedside events ({@code bedside-events.v1}) go. */
public interface StudySink {
    /** Completes once durably written (acks=all). */
    CompletionStage<Void> publish(StudyEvent event);

    CompletionStage<Void> publish(BedsideEvent event);

    /** A review correction or signature ({@code review-events.v1}); a sink without one refuses it. */
    default CompletionStage<Void> publish(org.hypnostream.common.review.ReviewEvent event) {
        return java.util.concurrent.CompletableFuture.failedFuture(new IllegalStateException("no review sink"));
    }

    /** An on-demand re-score request ({@code rescore-requests.v1}); a sink without one refuses it. */
    default CompletionStage<Void> publish(org.hypnostream.common.event.RescoreRequest request) {
        return java.util.concurrent.CompletableFuture.failedFuture(new IllegalStateException("no re-score sink"));
    }
}
