package org.hypnostream.common.study;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The study state machine of one bed; pure and Kafka-free. {@link #check} answers whether a new mark or bedside
 * event may be written now (refusing with a {@link StudyRefusal} that says why); {@link #apply} folds a mark read
 * back from {@code study-events.v1} into the state (idempotent by event id; the same ordering rules, but no "future"
 * check: replay must not depend on the clock). One study at a time per bed; an ended study can still be amended
 * (a morning correction), but takes no new marks or bedside events.
 */
public final class StudyLifecycle {
    /** Clock skew allowed between the entering client and the server before a time counts as "in the future". */
    public static final Duration FUTURE_TOLERANCE = Duration.ofSeconds(5);

    private final String bedId;
    private final Map<String, Study> studies = new LinkedHashMap<>();
    private final Set<String> applied = new HashSet<>();
    private Study current;

    public StudyLifecycle(String bedId) {
        this.bedId = bedId;
    }

    /** The bed's latest study (active or ended), if any. */
    public Optional<Study> current() {
        return Optional.ofNullable(current);
    }

    public Optional<Study> study(String studyId) {
        return Optional.ofNullable(studies.get(studyId));
    }

    public StudyState state() {
        return current == null ? StudyState.NONE : current.state();
    }

    /** Refuses (StudyRefusal) a new mark that breaks the lifecycle or lies in the future of {@code now}. */
    public void check(StudyEvent e, Instant now) {
        if (e.deviceTime().isAfter(now.plus(FUTURE_TOLERANCE))) {
            throw new StudyRefusal(e.type() + " at " + e.deviceTime() + " is in the future (now " + now + ")");
        }
        next(e);
    }

    /** Refuses (StudyRefusal) a bedside event for an unknown or ended study, before its start, or in the future. */
    public void check(BedsideEvent b, Instant now) {
        if (b.deviceTime().isAfter(now.plus(FUTURE_TOLERANCE))) {
            throw new StudyRefusal("bedside event at " + b.deviceTime() + " is in the future (now " + now + ")");
        }
        checkBedside(b);
    }

    /** The study a bedside event read back from the topic belongs to; refuses as {@link #check} (without "future"). */
    public Study checkBedside(BedsideEvent b) {
        Study s = active(b.bedId(), b.studyId(), "bedside event");
        if (b.deviceTime().isBefore(s.admittedAt())) {
            throw new StudyRefusal("bedside event at " + b.deviceTime() + " is before study " + s.studyId() + " began ("
                    + s.admittedAt() + ")");
        }
        return s;
    }

    /** Applies a mark; false when it was applied before (re-delivery). Throws StudyRefusal for a mark out of order. */
    public boolean apply(StudyEvent e) {
        if (applied.contains(e.eventId())) {
            return false;
        }
        Study s = next(e);
        applied.add(e.eventId());
        studies.put(s.studyId(), s);
        current = s;
        return true;
    }

    public boolean isApplied(String eventId) {
        return applied.contains(eventId);
    }

    private Study next(StudyEvent e) {
        if (!e.bedId().equals(bedId)) {
            throw new StudyRefusal("event for bed " + e.bedId() + " given to the lifecycle of bed " + bedId);
        }
        Instant t = e.deviceTime();
        if (e.type() == StudyEventType.ADMITTED) {
            if (current != null && current.state() != StudyState.ENDED) {
                throw new StudyRefusal("bed " + bedId + " is occupied by study " + current.studyId() + " ("
                        + current.state() + "); end it before admitting another");
            }
            if (studies.containsKey(e.studyId())) {
                throw new StudyRefusal("study id " + e.studyId() + " was already used on bed " + bedId);
            }
            if (current != null && t.isBefore(current.endedAt())) {
                throw new StudyRefusal("admission at " + t + " is before the previous study ended (" + current.endedAt() + ")");
            }
            return new Study(bedId, e.studyId(), e.admission(), e.user(), t, null, null, null, java.util.List.of(e));
        }
        Study s = studies.get(e.studyId());
        if (s == null) {
            throw new StudyRefusal("unknown study " + e.studyId() + " on bed " + bedId);
        }
        if (e.type() == StudyEventType.AMENDED) {
            return amend(s, e);
        }
        s = active(e.bedId(), e.studyId(), e.type().name());
        if (t.isBefore(s.admittedAt())) {
            throw new StudyRefusal(e.type() + " at " + t + " is before study " + s.studyId() + " began (" + s.admittedAt() + ")");
        }
        return switch (e.type()) {
            case LIGHTS_OFF -> {
                if (s.lightsOff() != null) {
                    throw new StudyRefusal("lights-off already marked at " + s.lightsOff() + "; amend it instead");
                }
                yield s.with(t, null, null, e);
            }
            case LIGHTS_ON -> {
                if (s.lightsOff() == null) {
                    throw new StudyRefusal("lights-on before lights-off: mark lights-off first");
                }
                if (s.lightsOn() != null) {
                    throw new StudyRefusal("lights-on already marked at " + s.lightsOn() + "; amend it instead");
                }
                if (!t.isAfter(s.lightsOff())) {
                    throw new StudyRefusal("lights-on at " + t + " is not after lights-off (" + s.lightsOff() + ")");
                }
                yield s.with(s.lightsOff(), t, null, e);
            }
            case ENDED -> {
                if (s.lightsOff() != null && s.lightsOn() == null) {
                    throw new StudyRefusal("lights are off: mark lights-on before ending the study");
                }
                if (s.lightsOn() != null && t.isBefore(s.lightsOn())) {
                    throw new StudyRefusal("end at " + t + " is before lights-on (" + s.lightsOn() + ")");
                }
                yield s.with(s.lightsOff(), s.lightsOn(), t, e);
            }
            default -> throw new IllegalStateException("unhandled " + e.type());
        };
    }

    private static Study amend(Study s, StudyEvent e) {
        Instant t = e.deviceTime();
        if (t.isBefore(s.admittedAt())) {
            throw new StudyRefusal("amended " + e.amends() + " at " + t + " is before study " + s.studyId() + " began ("
                    + s.admittedAt() + ")");
        }
        return switch (e.amends()) {
            case LIGHTS_OFF -> {
                if (s.lightsOff() == null) {
                    throw new StudyRefusal("no lights-off to amend in study " + s.studyId());
                }
                if (s.lightsOn() != null && !t.isBefore(s.lightsOn())) {
                    throw new StudyRefusal("amended lights-off " + t + " is not before lights-on (" + s.lightsOn() + ")");
                }
                yield s.with(t, s.lightsOn(), s.endedAt(), e);
            }
            case LIGHTS_ON -> {
                if (s.lightsOn() == null) {
                    throw new StudyRefusal("no lights-on to amend in study " + s.studyId());
                }
                if (!t.isAfter(s.lightsOff())) {
                    throw new StudyRefusal("amended lights-on " + t + " is not after lights-off (" + s.lightsOff() + ")");
                }
                if (s.endedAt() != null && t.isAfter(s.endedAt())) {
                    throw new StudyRefusal("amended lights-on " + t + " is after the study ended (" + s.endedAt() + ")");
                }
                yield s.with(s.lightsOff(), t, s.endedAt(), e);
            }
            case ENDED -> {
                if (s.endedAt() == null) {
                    throw new StudyRefusal("study " + s.studyId() + " has not ended: nothing to amend");
                }
                if (s.lightsOn() != null && t.isBefore(s.lightsOn())) {
                    throw new StudyRefusal("amended end " + t + " is before lights-on (" + s.lightsOn() + ")");
                }
                yield s.with(s.lightsOff(), s.lightsOn(), t, e);
            }
            default -> throw new StudyRefusal(e.amends() + " cannot be amended");
        };
    }

    private Study active(String bed, String studyId, String what) {
        Study s = studies.get(studyId);
        if (s == null) {
            throw new StudyRefusal(what + " for unknown study " + studyId + " on bed " + bed);
        }
        if (s.state() == StudyState.ENDED) {
            throw new StudyRefusal(what + " for study " + studyId + ", which has ended");
        }
        return s;
    }
}
