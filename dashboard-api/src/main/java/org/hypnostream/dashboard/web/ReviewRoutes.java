package org.hypnostream.dashboard.web;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.hypnostream.common.event.LegMovementEvent;
import org.hypnostream.common.event.LegSide;
import org.hypnostream.common.event.Stage;
import org.hypnostream.common.review.Doubt;
import org.hypnostream.common.review.LegEdit;
import org.hypnostream.common.review.ReviewEvent;
import org.hypnostream.common.review.ReviewEventType;
import org.hypnostream.common.review.ReviewRefusal;
import org.hypnostream.common.review.StudyReview;
import org.hypnostream.common.study.Study;
import org.hypnostream.dashboard.auth.Role.Permission;
import org.hypnostream.dashboard.feed.StudySink;
import org.hypnostream.dashboard.night.BedNight;
import org.hypnostream.dashboard.night.WardState;
import org.hypnostream.dashboard.report.StudyReport;
import org.hypnostream.dashboard.review.ReviewJson;
import org.hypnostream.dashboard.review.ReviewedNight;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The morning review: the reviewed night (GET), corrections (technologist, admin), the signature (physician), the
 * report (HTML, PDF) and the FHIR bundle. Writes are checked like study marks: role (403), bed (404), body (400,
 * strict), the review's rules (409: epochs outside the study, a signed study without a reason, ...); only then
 * written to {@code review-events.v1} (201 once acked) and applied at once.
 */
final class ReviewRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(ReviewRoutes.class);

    private final Vertx vertx;
    private final WardState state;
    private final StudySink sink;
    private final InstantSource clock;
    private final BedWrites writes;

    private ReviewRoutes(Vertx vertx, WardState state, LiveSockets sockets, StudySink sink, InstantSource clock) {
        this.vertx = vertx;
        this.state = state;
        this.sink = sink;
        this.clock = clock;
        this.writes = new BedWrites(vertx, state, sockets, LOG, "review change");
    }

    static void mount(Router r, Vertx vertx, WardState state, LiveSockets sockets, StudySink sink, InstantSource clock) {
        ReviewRoutes s = new ReviewRoutes(vertx, state, sockets, sink, clock);
        r.get("/api/beds/:bed/review").handler(ctx -> s.bed(ctx, Permission.VIEW).ifPresent(n ->
                s.withStudy(ctx, n).ifPresent(rn -> RouteChecks.json(ctx, 200,
                        ReviewJson.of(rn, true)))));
        r.get("/api/beds/:bed/review/doubt").handler(s::doubt);
        r.post("/api/beds/:bed/review/restage").handler(ctx -> s.write(ctx, Permission.REVIEW, ReviewEventType.RESTAGE));
        r.post("/api/beds/:bed/review/legs").handler(ctx -> s.write(ctx, Permission.REVIEW, ReviewEventType.ADD_LEG));
        r.post("/api/beds/:bed/review/legs/delete").handler(ctx -> s.write(ctx, Permission.REVIEW, ReviewEventType.DELETE_LEG));
        r.post("/api/beds/:bed/review/sign").handler(ctx -> s.write(ctx, Permission.SIGN, ReviewEventType.SIGN));
        r.get("/api/beds/:bed/report.html").handler(ctx -> s.report(ctx, "html"));
        r.get("/api/beds/:bed/report.pdf").handler(ctx -> s.report(ctx, "pdf"));
        r.get("/api/beds/:bed/fhir.json").handler(ctx -> s.report(ctx, "fhir"));
    }

    private Optional<BedNight> bed(RoutingContext ctx, Permission p) {
        return RouteChecks.permittedBed(ctx, state, p);
    }

    private Optional<ReviewedNight> withStudy(RoutingContext ctx, BedNight n) {
        Study s = n.lifecycle().current().orElse(null);
        if (s == null) {
            RouteChecks.error(ctx, 409, "no study on bed " + n.bedId() + ": nothing to review");
            return Optional.empty();
        }
        return Optional.of(reviewed(n, clock.instant()));
    }

    static ReviewedNight reviewed(BedNight n, Instant now) {
        return ReviewedNight.of(n.bedId(), n.stages(), n.revisions(), n.legMovements(),
                n.lifecycle().current().orElse(null), n.review(), now);
    }

    private void doubt(RoutingContext ctx) {
        bed(ctx, Permission.VIEW).ifPresent(n -> {
            String after = ctx.request().getParam("after");
            Long a;
            try {
                a = after == null || after.isEmpty() ? null : Long.valueOf(after);
            } catch (NumberFormatException e) {
                RouteChecks.error(ctx, 400, "after must be an epoch index");
                return;
            }
            Map<Long, List<Double>> p = new HashMap<>();
            // doubt of what the review starts from: the revised probabilities where the morning re-score covers an epoch
            reviewed(n, clock.instant()).startStages().forEach(s -> p.put(s.epochIndex(), s.probabilities()));
            StudyReview r = n.review();
            Long next = Doubt.next(p, r == null ? Set.of() : r.restaged().keySet(), a);
            RouteChecks.json(ctx, 200, new JsonObject().put("epoch", next)
                    .put("doubt", next == null ? null : Math.round(Doubt.of(p.get(next)) * 1000) / 1000.0));
        });
    }

    private void report(RoutingContext ctx, String kind) {
        bed(ctx, Permission.VIEW).ifPresent(n -> withStudy(ctx, n).ifPresent(rn -> {
            StudyReport rep = StudyReport.of(n, rn, clock.instant());
            vertx.executeBlocking(() -> switch (kind) {
                case "html" -> io.vertx.core.buffer.Buffer.buffer(org.hypnostream.dashboard.report.ReportHtml.render(rep));
                case "pdf" -> io.vertx.core.buffer.Buffer.buffer(org.hypnostream.dashboard.report.ReportPdf.render(rep));
                default -> io.vertx.core.buffer.Buffer.buffer(org.hypnostream.dashboard.report.FhirExport.json(rep,
                        org.hypnostream.dashboard.report.ReportPdf.render(rep)));
            }).onComplete(ar -> {
                if (ar.failed()) {
                    LOG.error("report of bed {} failed", n.bedId(), ar.cause());
                    RouteChecks.error(ctx, 500, "the report could not be built");
                    return;
                }
                String type = switch (kind) {
                    case "html" -> "text/html; charset=utf-8";
                    case "pdf" -> "application/pdf";
                    default -> "application/fhir+json";
                };
                ctx.response().putHeader("Content-Type", type).putHeader("Cache-Control", "no-store").end(ar.result());
            });
        }));
    }

    private void write(RoutingContext ctx, Permission p, ReviewEventType type) {
        bed(ctx, p).ifPresent(n -> RouteChecks.checked(ctx, () -> changeOf(ctx, n, type)).ifPresent(e ->
                writes.write(ctx, n, e, () -> sink.publish(e), e.toString(),
                        () -> ReviewJson.of(reviewed(n, clock.instant()), false))));
    }

    /** The review change the body asks for, checked against the review's rules. */
    private ReviewEvent changeOf(RoutingContext ctx, BedNight n, ReviewEventType type) {
        Instant now = clock.instant();
        String user = RouteChecks.user(ctx).name();
        JsonObject body = RequestBody.of(ctx, switch (type) {
            case RESTAGE -> Set.of("from", "to", "stage", "reason");
            case ADD_LEG -> Set.of("side", "onset", "offset", "reason");
            case DELETE_LEG -> Set.of("id", "reason");
            case SIGN -> Set.of("interpretation");
        });
        Study study = n.lifecycle().current().orElseThrow(() -> new Refused(409,
                "no study on bed " + n.bedId() + ": nothing to review"));
        StudyReview review = n.review();
        ReviewedNight before = reviewed(n, now);
        String id = UUID.randomUUID().toString();
        ReviewEvent e = switch (type) {
            case RESTAGE -> {
                long from = RequestBody.epoch(body, "from", null);
                long to = RequestBody.epoch(body, "to", from);
                Stage stage = RequestBody.choice(body, "stage", Stage.class, true);
                if (to < from || to - from + 1 > ReviewEvent.MAX_RANGE) {
                    throw new Refused(400, "'to' must be >= 'from' and cover at most "
                            + ReviewEvent.MAX_RANGE + " epochs");
                }
                List<Stage> was = new ArrayList<>();
                for (long i = from; i <= to; i++) {
                    Stage s = before.stageOf(i);
                    was.add(s == null ? Stage.UNSCORED : s);
                }
                yield new ReviewEvent(id, n.bedId(), study.studyId(), type, user, now, from, to, was, stage, null,
                        RequestBody.string(body, "reason", false), null);
            }
            case ADD_LEG -> {
                LegSide side = RequestBody.choice(body, "side", LegSide.class, true);
                Instant on = RequestBody.time(body, "onset", null);
                Instant off = RequestBody.time(body, "offset", null);
                LegEdit leg = new LegEdit("review:" + side + "@" + on, side, on, off);
                yield new ReviewEvent(id, n.bedId(), study.studyId(), type, user, now, null, null, null, null, leg,
                        RequestBody.string(body, "reason", false), null);
            }
            case DELETE_LEG -> {
                String legId = RequestBody.string(body, "id", true);
                LegMovementEvent l = before.legs().stream().filter(x -> ReviewedNight.legId(x).equals(legId))
                        .findFirst().orElseThrow(() -> new ReviewRefusal("no leg movement "
                                + (legId.length() > 100 ? legId.substring(0, 100) : legId) + " in study " + study.studyId()));
                LegEdit leg = new LegEdit(legId, l.side(), l.onset(), l.offset());
                yield new ReviewEvent(id, n.bedId(), study.studyId(), type, user, now, null, null, null, null, leg,
                        RequestBody.string(body, "reason", false), null);
            }
            case SIGN -> new ReviewEvent(id, n.bedId(), study.studyId(), type, user, now, null, null, null, null, null,
                    null, RequestBody.string(body, "interpretation", false));
        };
        Set<String> legIds = new HashSet<>();
        before.legs().forEach(l -> legIds.add(ReviewedNight.legId(l)));
        review.check(e, study, ReviewedNight.epochSpans(n.stages()), legIds);
        return e;
    }
}
