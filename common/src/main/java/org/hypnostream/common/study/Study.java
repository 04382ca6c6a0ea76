package org.hypnostream.common.study;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One study as its marks made it (immutable; {@link StudyLifecycle} replaces it on each mark). Times are device
 * times, already corrected by any amendment; {@code marks} holds every lifecycle event in order, amendments included
 * (the audit trail a report shows).
 */
public record Study(String bedId, String studyId, Admission admission, String admittedBy, Instant admittedAt,
        Instant lightsOff, Instant lightsOn, Instant endedAt, List<StudyEvent> marks) {
    public Study {
        Objects.requireNonNull(studyId, "studyId");
        Objects.requireNonNull(admission, "admission");
        Objects.requireNonNull(admittedAt, "admittedAt");
        marks = List.copyOf(marks);
    }

    public StudyState state() {
        if (endedAt != null) {
            return StudyState.ENDED;
        }
        if (lightsOn != null) {
            return StudyState.LIGHTS_ON;
        }
        return lightsOff != null ? StudyState.LIGHTS_OFF : StudyState.ADMITTED;
    }

    public List<StudyEvent> amendments() {
        return marks.stream().filter(m -> m.type() == StudyEventType.AMENDED).toList();
    }

    Study with(Instant lightsOff, Instant lightsOn, Instant endedAt, StudyEvent mark) {
        List<StudyEvent> m = new java.util.ArrayList<>(marks);
        m.add(mark);
        return new Study(bedId, studyId, admission, admittedBy, admittedAt, lightsOff, lightsOn, endedAt, m);
    }

    @Override
    public String toString() {
        return "Study[bed=" + bedId + " study=" + studyId + " state=" + state() + "]";
    }
}
