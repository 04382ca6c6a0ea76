package org.hypnostream.dashboard.review;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;
import org.hypnostream.common.event.LegMovementEvent;
import org.hypnostream.common.event.PlmEvent;
import org.hypnostream.common.event.RevisedHypnogram;
import org.hypnostream.common.event.StageEvent;
import org.hypnostream.common.review.Doubt;
import org.hypnostream.common.review.ReviewEvent;
import org.hypnostream.common.review.StudyReview;

/** The review as the page and the REST API show it. */
public final class ReviewJson {
    private ReviewJson() {
    }

    /**
     * {bed, studyId, status, signature, corrections, amendments, startingPoint, startSources, setAside, reviewed
     * (statistics), plm, revised?, epochs?, legs?, nextDoubt?}. The reviewed stages start from the study's morning
     * re-scores where one covers an epoch ({@link ReviewedNight}); {@code startingPoint} says which ({@link
     * ReviewedNight#LIVE} or the revised label), {@code startSources} lists the re-scores the starting point takes
     * epochs from and {@code setAside} those produced after the study was signed, which it does not take (ADR 0021).
     * With the night, each epoch's {@code startStage} is the stage the review started from there and {@code doubt} is
     * of its probabilities; when the starting point takes at least one epoch from a re-score, each epoch also carries
     * its {@code revised} stage from the SAME per-epoch source (the re-score its starting point took it from; null
     * where none covers it: never a re-score set aside), and the object a {@code revised} summary {label, modelId,
     * modelSha256, producedAt (of the latest source), differing: epochs whose revised stage differs from the live one}.
     */
    public static JsonObject of(ReviewedNight n, boolean withNight) {
        StudyReview r = n.review();
        JsonArray corrections = new JsonArray();
        JsonArray amendments = new JsonArray();
        if (r != null) {
            r.corrections().forEach(c -> corrections.add(event(c)));
            r.amendments().forEach(a -> amendments.add(event(a.correction()).put("afterSignatureBy", a.signedBefore().user())));
        }
        JsonObject o = new JsonObject().put("bed", n.bedId()).put("studyId", n.study() == null ? null : n.study().studyId())
                .put("status", r == null ? null : r.status().name())
                .put("fhirStatus", r == null ? null : r.status().fhirStatus())
                .put("signature", r == null || r.signature() == null ? null : event(r.signature()))
                .put("corrections", corrections).put("amendments", amendments)
                .put("startingPoint", n.startingPoint())
                .put("startSources", rescores(n.sources())).put("setAside", rescores(n.setAside()))
                .put("reviewed", new JsonObject(n.statistics().toMap())).put("plm", plm(n.plm().indices()));
        if (withNight) {
            Map<Long, java.util.List<Double>> p = new java.util.HashMap<>();
            n.startStages().forEach(s -> p.put(s.epochIndex(), s.probabilities()));
            RevisedHypnogram revised = n.revised(); // the latest source of the starting point, or null
            int differing = 0;
            JsonArray epochs = new JsonArray();
            for (int k = 0; k < n.stages().size(); k++) {
                StageEvent reviewed = n.stages().get(k);
                StageEvent model = n.modelStages().get(k);
                StageEvent from = n.startStages().get(k);
                JsonObject e = new JsonObject().put("i", model.epochIndex()).put("start", model.epochStart().toString())
                        .put("model", model.stage().name()).put("startStage", from.stage().name())
                        .put("reviewed", reviewed.stage().name())
                        .put("doubt", Math.round(Doubt.of(from.probabilities()) * 1000) / 1000.0);
                if (revised != null) {
                    boolean fromRevised = n.revisedAt(k);
                    e.put("revised", fromRevised ? from.stage().name() : null);
                    differing += fromRevised && from.stage() != model.stage() ? 1 : 0;
                }
                epochs.add(e);
            }
            o.put("revised", revised == null ? null : new JsonObject().put("label", revised.label())
                    .put("modelId", revised.provenance().modelId()).put("modelSha256", revised.provenance().modelSha256())
                    .put("producedAt", revised.producedAt().toString()).put("differing", differing));
            JsonArray legs = new JsonArray();
            for (LegMovementEvent l : n.legs()) {
                legs.add(new JsonObject().put("id", ReviewedNight.legId(l)).put("side", l.side().name())
                        .put("onset", l.onset().toString()).put("offset", l.offset().toString())
                        .put("added", r != null && r.addedLegs().containsKey(ReviewedNight.legId(l))));
            }
            o.put("epochs", epochs).put("legs", legs)
                    .put("nextDoubt", Doubt.next(p, r == null ? Set.of() : r.restaged().keySet(), null));
        }
        return o;
    }

    /** [{trigger, producedAt, from, until, epochs}] of morning re-scores. */
    static JsonArray rescores(java.util.List<RevisedHypnogram> hs) {
        JsonArray a = new JsonArray();
        for (RevisedHypnogram h : hs) {
            a.add(new JsonObject().put("trigger", h.triggerEventId()).put("producedAt", h.producedAt().toString())
                    .put("from", h.from() == null ? null : h.from().toString()).put("until", h.until().toString())
                    .put("epochs", h.epochs().size()));
        }
        return a;
    }

    public static JsonObject event(ReviewEvent e) {
        JsonObject o = new JsonObject().put("id", e.eventId()).put("type", e.type().name()).put("user", e.user())
                .put("at", e.recordedAt().toString()).put("reason", e.reason()).put("text", e.text());
        if (e.fromEpoch() != null) {
            JsonArray before = new JsonArray();
            if (e.before() != null) {
                e.before().forEach(s -> before.add(s.name()));
            }
            o.put("from", e.fromEpoch()).put("to", e.toEpoch()).put("before", before).put("after", e.stage().name());
        }
        if (e.leg() != null) {
            JsonObject leg = new JsonObject().put("id", e.leg().movementId()).put("side", e.leg().side().name())
                    .put("onset", e.leg().onset().toString()).put("offset", e.leg().offset().toString());
            o.put(e.type() == org.hypnostream.common.review.ReviewEventType.ADD_LEG ? "after" : "before", leg);
        }
        return o;
    }

    public static JsonObject plm(PlmEvent p) {
        JsonArray h = new JsonArray();
        p.imiHistogram().forEach(h::add);
        return new JsonObject().put("ruleSet", p.ruleSet()).put("lmCount", p.lmCount()).put("plmCount", p.plmCount())
                .put("plmsCount", p.plmsCount()).put("plmwCount", p.plmwCount())
                .put("lmIndex", r2(p.lmIndex())).put("plmsIndex", r2(p.plmsIndex())).put("plmwIndex", r2(p.plmwIndex()))
                .put("periodicityIndex", Math.round(p.periodicityIndex() * 1000) / 1000.0).put("imiHistogram", h);
    }

    static double r2(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
