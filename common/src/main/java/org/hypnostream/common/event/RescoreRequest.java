package org.hypnostream.common.event;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * An on-demand morning re-score ({@code rescore-requests.v1}, key = bed id): an authorised user (technologist, admin)
 * asks the inference service for the NON-causal re-score of a finished stretch of a bed's recording, published like the
 * lights-on one as a {@link RevisedHypnogram} on {@code revised-stages.v1} (its {@code triggerEventId} = this
 * {@code requestId}). Never feeds live stages or alarms.
 *
 * @param requestId  unique id of the request (the revised hypnogram names it)
 * @param studyId    the bed's study the stretch belongs to (the dashboard shows the re-score with that study)
 * @param from       first epoch start re-scored (device time), inclusive
 * @param until      epochs starting before it are re-scored (device time); never after {@code recordedAt}
 * @param user       who asked (audit trail)
 * @param recordedAt when it was asked (wall clock); a request older than a day is history, not a request
 */
public record RescoreRequest(String requestId, String bedId, String studyId, Instant from, Instant until, String user,
        Instant recordedAt) {
    /** The longest stretch one request may ask for. */
    public static final Duration MAX_STRETCH = Duration.ofHours(24);

    public RescoreRequest {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(bedId, "bedId");
        Objects.requireNonNull(studyId, "studyId");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(until, "until");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(recordedAt, "recordedAt");
        if (!from.isBefore(until)) {
            throw new IllegalArgumentException("re-score of bed " + bedId + ": from " + from + " is not before " + until);
        }
        if (Duration.between(from, until).compareTo(MAX_STRETCH) > 0) {
            throw new IllegalArgumentException("re-score of bed " + bedId + ": " + from + " to " + until
                    + " is longer than " + MAX_STRETCH.toHours() + " h");
        }
        if (until.isAfter(recordedAt)) {
            throw new IllegalArgumentException("re-score of bed " + bedId + ": until " + until
                    + " is after the request (" + recordedAt + "): only a finished stretch is re-scored");
        }
    }
}
