package org.hypnostream.dashboard.review;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import org.hypnostream.common.event.LegMovementEvent;
import org.hypnostream.common.event.Provenance;
import org.hypnostream.common.event.RevisedHypnogram;
import org.hypnostream.common.event.Stage;
import org.hypnostream.common.event.StageEvent;
import org.hypnostream.common.review.LegEdit;
import org.hypnostream.common.review.StudyReview;
import org.hypnostream.common.study.EpochStage;
import org.hypnostream.common.study.SleepStatistics;
import org.hypnostream.common.study.Study;
import org.hypnostream.stream.plm.PlmConfig;
import org.hypnostream.stream.plm.PlmRescore;

/**
 * A study's night with its review applied. The review starts from the study's morning re-scores (the revised,
 * NON-causal hypnograms of {@code revised-stages.v1}: the lights-on one, a corrected lights-on's, on-demand stretches):
 * each live epoch takes the stage and probabilities of the LATEST re-score (by {@code producedAt}) that covers it (same
 * index and start), so stretches merge; epochs no re-score covers start from the live ones ({@link #startStages}). A
 * signed study keeps the starting point it was signed on: re-scores produced after its first signature are left out
 * ({@link #setAside}; ADR 0021). Each corrected epoch's stage is then replaced (probabilities kept: they are the
 * model's); the model's leg movements minus the deleted plus the added; the PLM scoring run again over it by the live
 * scorer ({@link PlmRescore}) and the sleep statistics computed from it by the same {@link SleepStatistics} as the
 * live table. Pure; built on demand (a review, a report, an export).
 *
 * @param modelStages   the live (causal) stage events, as published on {@code stage-events.v1}
 * @param startStages   what the review starts from: per epoch the latest revised stage covering it, else live
 * @param startingPoint {@link #LIVE} or {@link RevisedHypnogram#LABEL} (when at least one epoch starts revised)
 * @param revised       the latest re-score the starting point takes at least one epoch from (its model labels it), or
 *                      null
 * @param sources       every re-score the starting point takes at least one epoch from, oldest first
 * @param setAside      the study's re-scores produced after its first signature: not part of the signed starting point
 */
public record ReviewedNight(String bedId, Study study, StudyReview review, List<StageEvent> modelStages,
        List<StageEvent> startStages, String startingPoint, RevisedHypnogram revised, List<RevisedHypnogram> sources,
        List<RevisedHypnogram> setAside, List<StageEvent> stages, List<LegMovementEvent> legs, PlmRescore.Result plm, SleepStatistics statistics) {

    /** Provenance of a movement a reviewer added. */
    public static final String REVIEW_RULES = "REVIEW";
    /** The starting point when no morning re-score of the study covers any epoch. */
    public static final String LIVE = "live (causal)";

    public ReviewedNight {
        modelStages = List.copyOf(modelStages);
        startStages = List.copyOf(startStages);
        sources = List.copyOf(sources);
        setAside = List.copyOf(setAside);
        stages = List.copyOf(stages);
        legs = List.copyOf(legs);
        if (startStages.size() != modelStages.size() || stages.size() != modelStages.size()) {
            throw new IllegalArgumentException("bed " + bedId + ": " + modelStages.size() + " live, "
                    + startStages.size() + " starting and " + stages.size() + " reviewed epochs");
        }
    }

    /** The review of the live stages only (no morning re-score). */
    public static ReviewedNight of(String bedId, Collection<StageEvent> modelStages, Collection<LegMovementEvent> modelLegs,
            Study study, StudyReview review, Instant now) {
        return of(bedId, modelStages, List.of(), modelLegs, study, review, now);
    }

    /**
     * The review starting from {@code revised} (the study's morning re-score; ignored when null or of another study).
     */
    public static ReviewedNight of(String bedId, Collection<StageEvent> modelStages, RevisedHypnogram revised,
            Collection<LegMovementEvent> modelLegs, Study study, StudyReview review, Instant now) {
        return of(bedId, modelStages, revised == null ? List.of() : List.of(revised), modelLegs, study, review, now);
    }

    /**
     * The review starting from the study's re-scores {@code revisions} (any order; those of another study or bed are
     * ignored): per epoch the latest by {@code producedAt} (then by position) that covers it, leaving out those
     * produced after the review's first signature.
     */
    public static ReviewedNight of(String bedId, Collection<StageEvent> modelStages,
            List<RevisedHypnogram> revisions, Collection<LegMovementEvent> modelLegs, Study study, StudyReview review,
            Instant now) {
        List<StageEvent> model = new ArrayList<>(modelStages);
        model.sort(java.util.Comparator.comparingLong(StageEvent::epochIndex));
        Instant signedAt = firstSignature(review);
        List<RevisedHypnogram> usable = new ArrayList<>();
        List<RevisedHypnogram> setAside = new ArrayList<>();
        for (RevisedHypnogram h : revisions) {
            if (h == null || study == null || !h.studyId().equals(study.studyId()) || !h.bedId().equals(bedId)) {
                continue;
            }
            (signedAt != null && h.producedAt().isAfter(signedAt) ? setAside : usable).add(h);
        }
        usable.sort(java.util.Comparator.comparing(RevisedHypnogram::producedAt)); // stable: ties keep their order
        Map<String, RevisedHypnogram.RevisedEpoch> covering = new HashMap<>(); // index@start -> latest covering
        Map<String, RevisedHypnogram> sourceOf = new HashMap<>();
        for (RevisedHypnogram h : usable) {
            for (RevisedHypnogram.RevisedEpoch e : h.epochs()) {
                covering.put(e.epochIndex() + "@" + e.epochStart(), e);
                sourceOf.put(e.epochIndex() + "@" + e.epochStart(), h);
            }
        }
        List<StageEvent> start = new ArrayList<>(model.size());
        Set<RevisedHypnogram> used = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (StageEvent s : model) {
            RevisedHypnogram.RevisedEpoch r = covering.get(s.epochIndex() + "@" + s.epochStart());
            if (r != null) {
                RevisedHypnogram h = sourceOf.get(s.epochIndex() + "@" + s.epochStart());
                start.add(fromRevised(s, r, h.provenance()));
                used.add(h);
            } else {
                start.add(s);
            }
        }
        List<RevisedHypnogram> sources = usable.stream().filter(used::contains).toList();
        boolean fromRevised = !sources.isEmpty();
        Map<Long, Stage> restaged = review == null ? Map.of() : review.restaged();
        List<StageEvent> stages = new ArrayList<>(model.size());
        for (StageEvent s : start) {
            Stage r = restaged.get(s.epochIndex());
            stages.add(r == null || r == s.stage() ? s : restage(s, r));
        }
        Set<String> deleted = review == null ? Set.of() : review.deletedLegIds();
        List<LegMovementEvent> legs = new ArrayList<>();
        for (LegMovementEvent l : modelLegs) {
            if (!deleted.contains(legId(l))) {
                legs.add(l);
            }
        }
        if (review != null) {
            review.addedLegs().values().forEach(a -> legs.add(added(bedId, a, now)));
        }
        legs.sort(java.util.Comparator.comparing(LegMovementEvent::onset));
        PlmRescore.Result plm = PlmRescore.rescore(bedId, study == null ? List.of() : study.marks(), stages, legs,
                PlmConfig.defaults(), now);
        List<EpochStage> epochs = stages.stream().map(EpochStage::of).toList();
        return new ReviewedNight(bedId, study, review, model, start, fromRevised ? RevisedHypnogram.LABEL : LIVE,
                fromRevised ? sources.get(sources.size() - 1) : null, sources, setAside, stages, legs, plm,
                SleepStatistics.compute(epochs, study, plm.legMarks()));
    }

    /** When the study was first signed (its starting point is then the one signed), or null. */
    static Instant firstSignature(StudyReview review) {
        return review == null ? null : review.events().stream()
                .filter(e -> e.type() == org.hypnostream.common.review.ReviewEventType.SIGN)
                .map(org.hypnostream.common.review.ReviewEvent::recordedAt).findFirst().orElse(null);
    }

    /** The id a leg movement is known by (its movement id, else side@onset as the dashboard keys it). */
    public static String legId(LegMovementEvent l) {
        return l.movementId() != null ? l.movementId() : l.side() + "@" + l.onset();
    }

    /** Epoch index -> [start, end), for the review's checks. */
    public static NavigableMap<Long, Instant[]> epochSpans(Collection<StageEvent> stages) {
        NavigableMap<Long, Instant[]> m = new TreeMap<>();
        stages.forEach(s -> m.put(s.epochIndex(), new Instant[] {s.epochStart(), s.epochEnd()}));
        return m;
    }

    /** True when the review starts from the morning re-score (at least one epoch). */
    public boolean startsFromRevised() {
        return revised != null;
    }

    /** True when the {@code k}-th epoch (in index order) starts from the morning re-score. */
    public boolean revisedAt(int k) {
        return revised != null && startStages.get(k) != modelStages.get(k);
    }

    /** The reviewed stage of an epoch (the model's when not corrected). */
    public Stage stageOf(long epoch) {
        return stages.stream().filter(s -> s.epochIndex() == epoch).map(StageEvent::stage).findFirst().orElse(null);
    }

    /** The live event of an epoch carrying the re-score's stage, probabilities and provenance (quality kept). */
    private static StageEvent fromRevised(StageEvent s, RevisedHypnogram.RevisedEpoch r, Provenance p) {
        return new StageEvent(s.bedId(), s.epochIndex(), s.epochStart(), s.epochEnd(), r.stage(), r.probabilities(),
                r.fromPriorOnly(), r.reason(), s.quality(), p, s.producedAt(), s.latencyMillis(), s.sourceReceiveMicros());
    }

    private static StageEvent restage(StageEvent s, Stage to) {
        return new StageEvent(s.bedId(), s.epochIndex(), s.epochStart(), s.epochEnd(), to, s.probabilities(), false, null,
                s.quality(), s.provenance(), s.producedAt(), s.latencyMillis(), s.sourceReceiveMicros());
    }

    private static LegMovementEvent added(String bedId, LegEdit a, Instant now) {
        double seconds = java.time.Duration.between(a.onset(), a.offset()).toNanos() / 1e9;
        return new LegMovementEvent(bedId, a.movementId(), a.side(), a.onset(), a.offset(), seconds, 0.0, Set.of(),
                Provenance.rules(REVIEW_RULES), now, 0);
    }
}
