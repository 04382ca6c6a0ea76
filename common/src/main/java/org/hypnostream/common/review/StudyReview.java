package org.hypnostream.common.review;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import org.hypnostream.common.event.Stage;
import org.hypnostream.common.study.Study;
import org.hypnostream.common.study.StudyState;

/**
 * The morning review of one study, folded from its {@code review-events.v1} events; pure and Kafka-free.
 * {@link #check} says whether a new event may be written (refusing with a {@link ReviewRefusal} that says why);
 * {@link #apply} folds one read back (idempotent by event id). Corrections override the model's stages epoch by
 * epoch (the latest wins), add leg movements or delete them; the model's own events are never changed. Once signed
 * the study is locked: a correction then needs a reason and is an amendment.
 */
public final class StudyReview {
    /** An amendment: a correction made after the study was signed. */
    public record Amendment(ReviewEvent correction, ReviewEvent signedBefore) {
    }

    private final String studyId;
    private final Set<String> applied = new HashSet<>();
    private final List<ReviewEvent> events = new ArrayList<>();
    private final TreeMap<Long, Stage> restaged = new TreeMap<>();
    private final Map<String, LegEdit> added = new LinkedHashMap<>();
    private final Map<String, LegEdit> deleted = new LinkedHashMap<>();
    private final List<Amendment> amendments = new ArrayList<>();
    private ReviewEvent signature;
    private ReviewEvent firstSignature;

    public StudyReview(String studyId) {
        this.studyId = studyId;
    }

    public String studyId() {
        return studyId;
    }

    public ReviewStatus status() {
        if (firstSignature == null) {
            return ReviewStatus.IN_REVIEW;
        }
        return amendments.isEmpty() ? ReviewStatus.SIGNED : ReviewStatus.AMENDED;
    }

    public boolean signed() {
        return signature != null;
    }

    /** The latest signature, or null. */
    public ReviewEvent signature() {
        return signature;
    }

    /** Every applied event in order (the audit trail). */
    public List<ReviewEvent> events() {
        return Collections.unmodifiableList(events);
    }

    public List<ReviewEvent> corrections() {
        return events.stream().filter(e -> e.type().isCorrection()).toList();
    }

    public List<Amendment> amendments() {
        return Collections.unmodifiableList(amendments);
    }

    /** Epoch -> reviewed stage, for every epoch a correction touched. */
    public NavigableMap<Long, Stage> restaged() {
        return Collections.unmodifiableNavigableMap(restaged);
    }

    public Map<String, LegEdit> addedLegs() {
        return Collections.unmodifiableMap(added);
    }

    public Set<String> deletedLegIds() {
        return Collections.unmodifiableSet(deleted.keySet());
    }

    /**
     * Refuses a new event that may not be written now.
     *
     * @param study  the bed's current study (null when none)
     * @param epochs the bed's epochs: index -> [start, end) on the device clock
     * @param legIds the ids of the leg movements the night holds now (the model's, minus deleted, plus added)
     */
    public void check(ReviewEvent e, Study study, NavigableMap<Long, Instant[]> epochs, Set<String> legIds) {
        if (study == null || !study.studyId().equals(e.studyId()) || !studyId.equals(e.studyId())) {
            throw new ReviewRefusal("no study " + e.studyId() + " on bed " + e.bedId() + " to review");
        }
        if (signature != null && e.type().isCorrection() && e.reason() == null) {
            throw new ReviewRefusal("study " + studyId + " was signed by " + signature.user() + " at " + signature.recordedAt()
                    + ": a change now needs a reason (it is recorded as an amendment)");
        }
        switch (e.type()) {
            case RESTAGE -> {
                for (long i = e.fromEpoch(); i <= e.toEpoch(); i++) {
                    Instant[] span = epochs.get(i);
                    if (span == null || !inStudy(study, span[0])) {
                        throw new ReviewRefusal("epoch " + i + " is outside study " + studyId + " (" + range(study, epochs) + ")");
                    }
                }
            }
            case ADD_LEG -> {
                if (legIds.contains(e.leg().movementId()) || added.containsKey(e.leg().movementId())) {
                    throw new ReviewRefusal("leg movement " + e.leg().movementId() + " exists already");
                }
                if (!inStudy(study, e.leg().onset()) || !recorded(epochs, e.leg().onset(), e.leg().offset())) {
                    throw new ReviewRefusal("leg movement at " + e.leg().onset() + " is outside study " + studyId
                            + " (" + range(study, epochs) + ")");
                }
            }
            case DELETE_LEG -> {
                if (!legIds.contains(e.leg().movementId())) {
                    throw new ReviewRefusal("no leg movement " + e.leg().movementId() + " in study " + studyId);
                }
            }
            case SIGN -> {
                if (study.state() != StudyState.LIGHTS_ON && study.state() != StudyState.ENDED) {
                    throw new ReviewRefusal("study " + studyId + " is " + study.state()
                            + ": it is signed after lights-on");
                }
                if (signature != null && (amendments.isEmpty()
                        || amendments.get(amendments.size() - 1).signedBefore() != signature)) {
                    throw new ReviewRefusal("study " + studyId + " is already signed by " + signature.user()
                            + " and has not been amended since");
                }
            }
            default -> throw new ReviewRefusal("unknown review event " + e.type());
        }
    }

    /** Folds one event read back; false when it was applied before. */
    public boolean apply(ReviewEvent e) {
        if (!e.studyId().equals(studyId)) {
            throw new ReviewRefusal("review event of study " + e.studyId() + " given to the review of " + studyId);
        }
        if (!applied.add(e.eventId())) {
            return false;
        }
        events.add(e);
        if (e.type().isCorrection() && signature != null) {
            amendments.add(new Amendment(e, signature));
        }
        switch (e.type()) {
            case RESTAGE -> {
                for (long i = e.fromEpoch(); i <= e.toEpoch(); i++) {
                    restaged.put(i, e.stage());
                }
            }
            case ADD_LEG -> {
                deleted.remove(e.leg().movementId());
                added.put(e.leg().movementId(), e.leg());
            }
            case DELETE_LEG -> {
                if (added.remove(e.leg().movementId()) == null) {
                    deleted.put(e.leg().movementId(), e.leg());
                }
            }
            case SIGN -> {
                signature = e;
                firstSignature = firstSignature == null ? e : firstSignature;
            }
            default -> throw new IllegalStateException("unhandled " + e.type());
        }
        return true;
    }

    /** An instant belongs to the study from its admission to its end (open while it runs). */
    static boolean inStudy(Study s, Instant t) {
        return !t.isBefore(s.admittedAt()) && (s.endedAt() == null || t.isBefore(s.endedAt()));
    }

    private static boolean recorded(NavigableMap<Long, Instant[]> epochs, Instant onset, Instant offset) {
        return !epochs.isEmpty() && !onset.isBefore(epochs.firstEntry().getValue()[0])
                && !offset.isAfter(epochs.lastEntry().getValue()[1]);
    }

    private static String range(Study s, NavigableMap<Long, Instant[]> epochs) {
        List<Long> in = new ArrayList<>();
        epochs.forEach((i, span) -> {
            if (inStudy(s, span[0])) {
                in.add(i);
            }
        });
        return in.isEmpty() ? "it has no epochs yet" : "its epochs are " + in.get(0) + ".." + in.get(in.size() - 1);
    }
}
