package org.hypnostream.common.event;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What the alarm escalation did about an unacknowledged alert ({@code alarm-notices.v1}, ADR 0013): a reminder
 * (re-announcement) or an escalation to a second role or ward. An audited record: {@code by} is the service that
 * decided it and {@code at} when. Key = bed id.
 *
 * <p>Version tolerance: {@code kind} is a string; today {@link #REMINDER} and {@link #ESCALATED}. A reader ignores a
 * kind it does not know (a later version may add one) instead of failing; unknown JSON fields are ignored.
 *
 * @param noticeId    unique and stable: alert id + kind + number, so that a re-delivery is recognised
 * @param number      the reminder's number (1, 2, ...) or the escalation level (1)
 * @param targetRole  who is now called (a role id: nurse, technologist, physician, admin), or null
 * @param targetWard  a further ward whose users are now called, or null
 */
public record AlarmNotice(
        String noticeId,
        String alertId,
        String bedId,
        String code,
        AlertPriority priority,
        boolean physiological,
        String kind,
        int number,
        String targetRole,
        String targetWard,
        Instant at,
        String by,
        String reason) {
    public static final String REMINDER = "REMINDER";
    public static final String ESCALATED = "ESCALATED";
    private static final Pattern KIND = Pattern.compile("[A-Z_]{1,32}");

    public AlarmNotice {
        Objects.requireNonNull(noticeId, "noticeId");
        Objects.requireNonNull(alertId, "alertId");
        Objects.requireNonNull(bedId, "bedId");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(by, "by");
        if (kind == null || !KIND.matcher(kind).matches()) {
            throw new IllegalArgumentException("alarm notice " + noticeId + ": kind must be upper-case letters, not " + kind);
        }
        if (number < 1) {
            throw new IllegalArgumentException("alarm notice " + noticeId + ": number must be >= 1, got " + number);
        }
    }

    /** True for a kind this version knows. */
    public boolean known() {
        return kind.equals(REMINDER) || kind.equals(ESCALATED);
    }
}
