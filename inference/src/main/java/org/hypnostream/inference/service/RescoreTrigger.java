package org.hypnostream.inference.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.hypnostream.common.study.StudyEvent;
import org.hypnostream.common.study.StudyEventType;
import org.hypnostream.common.wire.Epoch;

/**
 * When to run the morning re-score, from a bed's {@code study-events.v1} marks (pure, Kafka-free; one bed's marks come
 * in order). LIGHTS_ON asks for the re-score of the bed's night: epochs starting from the study's admission (device
 * time; from the start of the data when the admission is not known) up to lights-on. An amendment of LIGHTS_ON asks
 * again with the corrected time; a re-delivered mark (same event id) asks nothing. Other marks only update the study.
 * A lights-on entered more than {@link #MAX_AGE} before now (its {@code recordedAt}, wall clock) asks nothing either:
 * a first deployment, or a new consumer group, reads the whole topic and must not re-score every past night.
 */
public final class RescoreTrigger {
    /** Re-delivered marks are recognised among the last this many event ids. */
    static final int REMEMBERED_IDS = 1024;
    /** A lights-on older than this (entered, wall clock) is history, not a request. */
    public static final Duration MAX_AGE = Duration.ofHours(24);

    /** A night to re-score: the bed's epochs starting in [{@code from}, {@code until}); {@code from} null = all. */
    public record Night(String bedId, String studyId, String triggerEventId, Instant from, Instant until) {
        public Night {
            Objects.requireNonNull(bedId, "bedId");
            Objects.requireNonNull(studyId, "studyId");
            Objects.requireNonNull(triggerEventId, "triggerEventId");
            Objects.requireNonNull(until, "until");
            if (from != null && !from.isBefore(until)) {
                throw new IllegalArgumentException("night of bed " + bedId + " from " + from + " not before " + until);
            }
        }
    }

    private final Map<String, Map<String, Instant>> admittedAt = new HashMap<>(); // bed -> study -> admission
    private final Set<String> seen = new HashSet<>();
    private final Deque<String> order = new ArrayDeque<>();

    /** Folds one mark at wall-clock {@code now}; returns the night to re-score when it asks for one. */
    public Optional<Night> on(StudyEvent e, Instant now) {
        if (!seen.add(e.eventId())) {
            return Optional.empty();
        }
        order.addLast(e.eventId());
        if (order.size() > REMEMBERED_IDS) {
            seen.remove(order.removeFirst());
        }
        if (e.type() == StudyEventType.ADMITTED) {
            admittedAt.computeIfAbsent(e.bedId(), b -> new HashMap<>()).put(e.studyId(), e.deviceTime());
            return Optional.empty();
        }
        boolean lightsOn = e.type() == StudyEventType.LIGHTS_ON
                || e.type() == StudyEventType.AMENDED && e.amends() == StudyEventType.LIGHTS_ON;
        if (!lightsOn || e.recordedAt().isBefore(now.minus(MAX_AGE))) {
            return Optional.empty();
        }
        Instant from = admittedAt.getOrDefault(e.bedId(), Map.of()).get(e.studyId());
        if (from != null && !from.isBefore(e.deviceTime())) {
            from = null; // an admission time after lights-on is a data-entry error: re-score all that is there
        }
        return Optional.of(new Night(e.bedId(), e.studyId(), e.eventId(), from, e.deviceTime()));
    }

    /**
     * The epochs to re-score among those read for a night: the latest recording session's (one index axis, and the
     * live stager's state starts afresh at each session), one per index (the first read), in index order.
     */
    public static List<Epoch> lastSession(List<Epoch> read) {
        long session = read.stream().mapToLong(Epoch::sessionStartMicros).max().orElse(0);
        Map<Long, Epoch> byIndex = new TreeMap<>();
        for (Epoch e : read) {
            if (e.sessionStartMicros() == session) {
                byIndex.putIfAbsent(e.index(), e);
            }
        }
        return List.copyOf(byIndex.values());
    }

    /** Forgets the studies of a bed (its partition moved to another instance). */
    public void forget(String bedId) {
        admittedAt.remove(bedId);
    }
}
