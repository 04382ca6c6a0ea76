package org.hypnostream.common.study;

import java.time.Instant;
import java.util.Objects;

/**
 * Something that happened at the bedside during a study ({@code bedside-events.v1}, key = bed id).
 *
 * @param position   for POSITION_CHANGE only (required there)
 * @param text       optional free text (required for NOTE), at most 500 characters; must not hold patient names
 * @param recordedAt wall-clock time it was entered
 * @param deviceTime when it happened on the bed's device clock (the hypnogram's axis)
 */
public record BedsideEvent(String eventId, String bedId, String studyId, BedsideEventType type, BodyPosition position,
        String text, String user, Instant recordedAt, Instant deviceTime) {
    public BedsideEvent {
        StudyEvent.requireId(eventId, "eventId");
        StudyEvent.requireId(bedId, "bedId");
        StudyEvent.requireId(studyId, "studyId");
        StudyEvent.requireId(user, "user");
        Objects.requireNonNull(type, "bedside event without a type");
        Objects.requireNonNull(recordedAt, "bedside event without recordedAt (wall clock)");
        Objects.requireNonNull(deviceTime, "bedside event without deviceTime");
        if ((type == BedsideEventType.POSITION_CHANGE) != (position != null)) {
            throw new IllegalArgumentException(type == BedsideEventType.POSITION_CHANGE
                    ? "POSITION_CHANGE needs a position (SUPINE, PRONE, LEFT, RIGHT, UPRIGHT)" : type + " carries no position");
        }
        text = text == null || text.isBlank() ? null : text.strip();
        if (type == BedsideEventType.NOTE && text == null) {
            throw new IllegalArgumentException("a NOTE needs text");
        }
        if (text != null && text.length() > StudyEvent.MAX_TEXT) {
            throw new IllegalArgumentException("text longer than " + StudyEvent.MAX_TEXT + " characters");
        }
    }

    /** The annotation / display text: label, position, free text. */
    public String describe() {
        return type.label() + (position == null ? "" : " " + position.name().toLowerCase(java.util.Locale.ROOT))
                + (text == null ? "" : ": " + text);
    }
}
