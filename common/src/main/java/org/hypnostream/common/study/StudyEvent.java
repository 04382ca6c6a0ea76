package org.hypnostream.common.study;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One mark of a study's lifecycle ({@code study-events.v1}, key = bed id; never the patient reference).
 *
 * @param eventId    unique id (idempotency: a re-delivered event changes nothing)
 * @param studyId    the study this mark belongs to (chosen at admission, unique per bed)
 * @param user       who entered it (the audit trail)
 * @param recordedAt wall-clock time it was entered
 * @param deviceTime the time of the mark on the bed's device clock (the axis of the epochs); for AMENDED the
 *                   corrected time of the amended mark
 * @param admission  for ADMITTED only: pseudonymous patient reference, protocol, rule set, population
 * @param amends     for AMENDED only: the mark whose time is corrected (LIGHTS_OFF, LIGHTS_ON or ENDED)
 * @param reason     for AMENDED: why (required); otherwise an optional comment
 */
public record StudyEvent(String eventId, String bedId, String studyId, StudyEventType type, String user, Instant recordedAt,
        Instant deviceTime, Admission admission, StudyEventType amends, String reason) {
    /** Ids of beds, studies, users and events. */
    public static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    public static final int MAX_TEXT = 500;

    public StudyEvent {
        requireId(eventId, "eventId");
        requireId(bedId, "bedId");
        requireId(studyId, "studyId");
        requireId(user, "user");
        Objects.requireNonNull(type, "study event without a type");
        Objects.requireNonNull(recordedAt, "study event without recordedAt (wall clock)");
        Objects.requireNonNull(deviceTime, "study event without deviceTime");
        if ((type == StudyEventType.ADMITTED) != (admission != null)) {
            throw new IllegalArgumentException(type == StudyEventType.ADMITTED ? "ADMITTED needs an admission (patientRef, "
                    + "protocol, ruleSet, population)" : type + " carries no admission");
        }
        if (type == StudyEventType.AMENDED) {
            if (amends == null || !amends.amendable()) {
                throw new IllegalArgumentException("AMENDED must name the mark it corrects: LIGHTS_OFF, LIGHTS_ON or ENDED");
            }
            if (reason == null || reason.isBlank()) {
                throw new IllegalArgumentException("an amendment needs a reason");
            }
        } else if (amends != null) {
            throw new IllegalArgumentException(type + " cannot amend another mark");
        }
        if (reason != null && reason.length() > MAX_TEXT) {
            throw new IllegalArgumentException("reason longer than " + MAX_TEXT + " characters");
        }
    }

    static void requireId(String v, String what) {
        if (v == null || !ID.matcher(v).matches()) {
            throw new IllegalArgumentException(what + " must be 1-64 letters, digits, '.', '_', ':' or '-'");
        }
    }

    /** Never prints the patient reference (the admission's own toString redacts it). */
    @Override
    public String toString() {
        return "StudyEvent[" + type + (amends == null ? "" : " " + amends) + " bed=" + bedId + " study=" + studyId
                + " user=" + user + " deviceTime=" + deviceTime + " id=" + eventId + "]";
    }
}
