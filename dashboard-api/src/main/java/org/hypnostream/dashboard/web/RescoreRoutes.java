package org.hypnostream.dashboard.web;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Set;
import java.util.UUID;
import org.hypnostream.common.event.RescoreRequest;
import org.hypnostream.common.event.RevisedHypnogram;
import org.hypnostream.common.review.StudyReview;
import org.hypnostream.common.study.Study;
import org.hypnostream.dashboard.auth.Role.Permission;
import org.hypnostream.dashboard.feed.StudySink;
import org.hypnostream.dashboard.night.BedNight;
import org.hypnostream.dashboard.night.WardState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On-demand morning re-score: {@code POST /api/beds/{bed}/rescore} with optional {@code from} and {@code to} (ISO-8601
 * UTC, device time; defaults: the study's admission and "up to now", or the study's end once it ended) asks the
 * inference service for the NON-causal re-score of that finished stretch of the bed's current study. Technologists and
 * admins only (403); bed (404); a study on the bed (409); a study not signed (409: a signed study keeps the scoring
 * it was signed on, ADR 0021); the stretch: {@code from < to <= now}, within the study, at
 * most {@link RescoreRequest#MAX_STRETCH} (400 / 409). Written to {@code rescore-requests.v1} (202 once acked, 503
 * when that fails); the answer arrives later on {@code revised-stages.v1} like the lights-on one.
 */
final class RescoreRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(RescoreRoutes.class);
    private final Vertx vertx;
    private final WardState state;
    private final StudySink sink;
    private final InstantSource clock;

    private RescoreRoutes(Vertx vertx, WardState state, StudySink sink, InstantSource clock) {
        this.vertx = vertx;
        this.state = state;
        this.sink = sink;
        this.clock = clock;
    }

    static void mount(Router r, Vertx vertx, WardState state, StudySink sink, InstantSource clock) {
        RescoreRoutes s = new RescoreRoutes(vertx, state, sink, clock);
        r.post("/api/beds/:bed/rescore").handler(s::rescore);
    }

    private void rescore(RoutingContext ctx) {
        RouteChecks.permittedBed(ctx, state, Permission.REVIEW).ifPresent(n -> RouteChecks.checked(ctx, () -> requestOf(ctx, n))
                .ifPresent(q -> publish(ctx, q)));
    }

    /** The stretch the body asks for, checked against the bed's current study and the clock. */
    private RescoreRequest requestOf(RoutingContext ctx, BedNight n) {
        Instant now = clock.instant();
        JsonObject body = ctx.body() == null || ctx.body().length() <= 0 ? new JsonObject() // no body: up to now
                : RequestBody.of(ctx, Set.of("from", "to"));
        Study study = n.lifecycle().current().orElseThrow(() -> new Refused(409,
                "no study on bed " + n.bedId() + ": nothing to re-score"));
        n.review(study.studyId()).filter(StudyReview::signed).ifPresent(r -> {
            throw new Refused(409, "study " + study.studyId() + " was signed by " + r.signature().user() + " at "
                    + r.signature().recordedAt() + ": a signed study keeps the scoring it was signed on, it is not "
                    + "re-scored (correct epochs with a reason instead: an amendment)");
        });
                Instant end = study.endedAt() != null && study.endedAt().isBefore(now) ? study.endedAt() : now;
        Instant from = RequestBody.time(body, "from", study.admittedAt());
        Instant to = RequestBody.time(body, "to", end);
        if (!from.isBefore(to)) {
            throw new Refused(400, "'from' " + from + " must be before 'to' " + to);
        }
        if (to.isAfter(now)) {
            throw new Refused(400, "'to' " + to + " is in the future: only a finished stretch is re-scored");
        }
        if (Duration.between(from, to).compareTo(RescoreRequest.MAX_STRETCH) > 0) {
            throw new Refused(400, "a re-score covers at most " + RescoreRequest.MAX_STRETCH.toHours() + " h");
        }
        if (from.isBefore(study.admittedAt()) || study.endedAt() != null && to.isAfter(study.endedAt())) {
            throw new Refused(409, "the stretch " + from + " to " + to + " is outside study "
                    + study.studyId() + " (admitted " + study.admittedAt()
                    + (study.endedAt() == null ? "" : ", ended " + study.endedAt()) + ")");
        }
        return new RescoreRequest(UUID.randomUUID().toString(), n.bedId(), study.studyId(), from, to,
                RouteChecks.user(ctx).name(), now);
    }

    private void publish(RoutingContext ctx, RescoreRequest q) {
        Future.fromCompletionStage(sink.publish(q), vertx.getOrCreateContext()).onComplete(ar -> {
            if (ar.failed()) {
                LOG.error("re-score request {} of bed {} not written: {}", q.requestId(), q.bedId(),
                        ar.cause().toString());
                RouteChecks.error(ctx, 503, "the re-score request could not be recorded, try again");
                return;
            }
            LOG.info("re-score request {} of bed {} study {} ({} to {}) by {}", q.requestId(), q.bedId(),
                    q.studyId(), q.from(), q.until(), q.user());
            RouteChecks.json(ctx, 202, new JsonObject().put("requestId", q.requestId()).put("bed", q.bedId())
                    .put("studyId", q.studyId()).put("from", q.from().toString()).put("to", q.until().toString())
                    .put("label", RevisedHypnogram.LABEL));
        });
    }
}
