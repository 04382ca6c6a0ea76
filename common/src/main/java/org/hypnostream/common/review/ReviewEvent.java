package org.hypnostream.common.review;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.hypnostream.common.event.Stage;

/**
 * One morning-review event of a study ({@code review-events.v1}, key = bed id): a correction with who, when, what it
 * was before and what it is after, or the physician's signature.
 *
 * @param recordedAt  wall-clock time it was entered
 * @param fromEpoch   RESTAGE: first epoch (inclusive)
 * @param toEpoch     RESTAGE: last epoch (inclusive; = fromEpoch for one epoch)
 * @param before      RESTAGE: the stage each epoch of the range had before (the model's or an earlier correction's)
 * @param stage       RESTAGE: the stage after
 * @param leg         ADD_LEG: the movement after; DELETE_LEG: the movement before
 * @param reason      why (required once the study is signed: the correction is then an amendment); optional before
 * @param text        SIGN: the optional interpretation
 */
public record ReviewEvent(String eventId, String bedId, String studyId, ReviewEventType type, String user,
        Instant recordedAt, Long fromEpoch, Long toEpoch, List<Stage> before, Stage stage, LegEdit leg, String reason,
        String text) {
    public static final Pattern ID = Pattern.compile("[A-Za-z0-9._:@+-]{1,96}");
    public static final int MAX_TEXT = 2000;
    /** Most epochs one RESTAGE may cover (a whole 24-h recording). */
    public static final int MAX_RANGE = 2880;

    public ReviewEvent {
        id(eventId, "eventId");
        id(bedId, "bedId");
        id(studyId, "studyId");
        id(user, "user");
        Objects.requireNonNull(type, "review event without a type (RESTAGE, ADD_LEG, DELETE_LEG, SIGN)");
        Objects.requireNonNull(recordedAt, "review event without recordedAt");
        before = before == null ? null : List.copyOf(before);
        reason = blankToNull(reason);
        text = blankToNull(text);
        if (reason != null && reason.length() > MAX_TEXT || text != null && text.length() > MAX_TEXT) {
            throw new IllegalArgumentException("reason or text longer than " + MAX_TEXT + " characters");
        }
        switch (type) {
            case RESTAGE -> {
                if (fromEpoch == null || toEpoch == null || fromEpoch < 0 || toEpoch < fromEpoch) {
                    throw new IllegalArgumentException("RESTAGE needs epochs from <= to, both >= 0");
                }
                if (toEpoch - fromEpoch + 1 > MAX_RANGE) {
                    throw new IllegalArgumentException("RESTAGE covers at most " + MAX_RANGE + " epochs");
                }
                Objects.requireNonNull(stage, "RESTAGE needs the stage after (W, N1, N2, N3, REM)");
                if (stage == Stage.UNSCORED) {
                    throw new IllegalArgumentException("a review re-stages to W, N1, N2, N3 or REM, not UNSCORED");
                }
                if (before != null && before.size() != toEpoch - fromEpoch + 1) {
                    throw new IllegalArgumentException("RESTAGE before holds " + before.size() + " stages for "
                            + (toEpoch - fromEpoch + 1) + " epochs");
                }
                if (leg != null || text != null) {
                    throw new IllegalArgumentException("RESTAGE carries no leg movement and no text");
                }
            }
            case ADD_LEG, DELETE_LEG -> {
                Objects.requireNonNull(leg, type + " needs the leg movement");
                if (fromEpoch != null || toEpoch != null || stage != null || before != null || text != null) {
                    throw new IllegalArgumentException(type + " carries only the leg movement (and a reason)");
                }
            }
            case SIGN -> {
                if (fromEpoch != null || toEpoch != null || stage != null || before != null || leg != null) {
                    throw new IllegalArgumentException("SIGN carries only the interpretation text");
                }
            }
            default -> throw new IllegalArgumentException("unknown review event type " + type);
        }
    }

    private static void id(String v, String what) {
        if (v == null || !ID.matcher(v).matches()) {
            throw new IllegalArgumentException(what + " must be 1-96 letters, digits, '.', '_', ':', '@', '+' or '-'");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    @Override
    public String toString() {
        return "ReviewEvent[" + type + " bed=" + bedId + " study=" + studyId + " user=" + user + " id=" + eventId + "]";
    }
}
