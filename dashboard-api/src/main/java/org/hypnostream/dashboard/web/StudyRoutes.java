package org.hypnostream.dashboard.web;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.hypnostream.common.study.Admission;
import org.hypnostream.common.study.BedsideEvent;
import org.hypnostream.common.study.BedsideEventType;
import org.hypnostream.common.study.BodyPosition;
import org.hypnostream.common.study.Population;
import org.hypnostream.common.study.Study;
import org.hypnostream.common.study.StudyEvent;
import org.hypnostream.common.study.StudyEventType;
import org.hypnostream.common.study.StudyProtocol;
import org.hypnostream.dashboard.auth.Role.Permission;
import org.hypnostream.dashboard.auth.User;
import org.hypnostream.dashboard.feed.StudySink;
import org.hypnostream.dashboard.night.BedNight;
import org.hypnostream.dashboard.night.WardState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The study write path: lifecycle marks, amendments and bedside events. Each request is checked in this order:
 * role (403), bed visible to the user (404, as every bed route: no probing of other wards), body (400, strict: a JSON
 * object with known fields of the right types), the study's lifecycle (409 with the reason), all by
 * {@link RouteChecks}; only then written to Kafka (201 once acked) and applied at once, so the next request sees it.
 * One write per bed at a time (409 while one is in flight), so two marks cannot both pass the lifecycle check.
 */
final class StudyRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(StudyRoutes.class);
    private static final DateTimeFormatter STUDY_ID = DateTimeFormatter.ofPattern("'S-'yyyyMMdd-HHmmss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final WardState state;
    private final StudySink sink;
    private final InstantSource clock;
    private final BedWrites writes;

    private StudyRoutes(Vertx vertx, WardState state, LiveSockets sockets, StudySink sink, InstantSource clock) {
        this.state = state;
        this.sink = sink;
        this.clock = clock;
        this.writes = new BedWrites(vertx, state, sockets, LOG, "mark");
    }

    static void mount(Router r, Vertx vertx, WardState state, LiveSockets sockets, StudySink sink, InstantSource clock) {
        StudyRoutes s = new StudyRoutes(vertx, state, sockets, sink, clock);
        r.get("/api/beds/:bed/statistics").handler(ctx -> s.bed(ctx, Permission.VIEW).ifPresent(n ->
                RouteChecks.json(ctx, 200, new JsonObject().put("bed", n.bedId()).put("study", n.studyJson())
                        .put("statistics", n.statisticsJson()).put("reviewed", n.lifecycle().current().isEmpty() ? null
                                : new JsonObject(ReviewRoutes.reviewed(n, clock.instant()).statistics().toMap()))
                        .put("revised", n.revisedStatistics() == null ? null : new JsonObject(n.revisedStatistics().toMap())
                                .put("label", org.hypnostream.common.event.RevisedHypnogram.LABEL)))));
        r.post("/api/beds/:bed/study/admit").handler(ctx -> s.mark(ctx, Permission.ADMIT_END, StudyEventType.ADMITTED));
        r.post("/api/beds/:bed/study/lights-off").handler(ctx -> s.mark(ctx, Permission.LIGHTS, StudyEventType.LIGHTS_OFF));
        r.post("/api/beds/:bed/study/lights-on").handler(ctx -> s.mark(ctx, Permission.LIGHTS, StudyEventType.LIGHTS_ON));
        r.post("/api/beds/:bed/study/end").handler(ctx -> s.mark(ctx, Permission.ADMIT_END, StudyEventType.ENDED));
        r.post("/api/beds/:bed/study/amend").handler(ctx -> s.mark(ctx, Permission.AMEND, StudyEventType.AMENDED));
        r.post("/api/beds/:bed/events").handler(s::bedside);
    }

    private Optional<BedNight> bed(RoutingContext ctx, Permission p) {
        return RouteChecks.permittedBed(ctx, state, p);
    }

    private void mark(RoutingContext ctx, Permission p, StudyEventType type) {
        bed(ctx, p).ifPresent(n -> RouteChecks.checked(ctx, () -> markOf(ctx, n, type)).ifPresent(e ->
                writes.write(ctx, n, e, () -> sink.publish(e), e.toString(), () -> answer(n))));
    }

    /** The mark the body asks for, checked whole and against the bed's lifecycle. */
    private StudyEvent markOf(RoutingContext ctx, BedNight n, StudyEventType type) {
        User u = RouteChecks.user(ctx);
        Instant now = clock.instant();
        JsonObject body = RequestBody.of(ctx, switch (type) {
            case ADMITTED -> Set.of("studyId", "patientRef", "protocol", "ruleSet", "population", "at");
            case AMENDED -> Set.of("mark", "at", "reason");
            default -> Set.of("at", "comment");
        });
        Instant at = RequestBody.time(body, "at", type == StudyEventType.AMENDED ? null : now);
        Optional<Study> current = n.lifecycle().current();
        StudyEvent e;
        if (type == StudyEventType.ADMITTED) {
            Admission a = new Admission(RequestBody.string(body, "patientRef", true),
                    RequestBody.choice(body, "protocol", StudyProtocol.class, true), RequestBody.string(body, "ruleSet", false),
                    RequestBody.choice(body, "population", Population.class, true));
            String studyId = Optional.ofNullable(RequestBody.string(body, "studyId", false)).orElse(STUDY_ID.format(now));
            e = new StudyEvent(UUID.randomUUID().toString(), n.bedId(), studyId, type, u.name(), now, at, a, null, null);
        } else {
            boolean amend = type == StudyEventType.AMENDED;
            StudyEventType amends = amend ? RequestBody.choice(body, "mark", StudyEventType.class, true) : null;
            String reason = RequestBody.string(body, amend ? "reason" : "comment", amend);
            // the body is checked whole (a dummy study id) before the study is looked up
            new StudyEvent("check", n.bedId(), "check", type, u.name(), now, at, null, amends, reason);
            String studyId = current.map(Study::studyId).orElseThrow(() -> new Refused(409,
                    "no study on bed " + n.bedId() + ": a technologist admits one first"));
            e = new StudyEvent(UUID.randomUUID().toString(), n.bedId(), studyId, type, u.name(), now, at, null, amends, reason);
        }
        n.lifecycle().check(e, now);
        return e;
    }

    private void bedside(RoutingContext ctx) {
        bed(ctx, Permission.BEDSIDE_EVENT).ifPresent(n -> RouteChecks.checked(ctx, () -> bedsideOf(ctx, n)).ifPresent(b ->
                writes.write(ctx, n, b, () -> sink.publish(b), "bedside " + b.type() + " on bed " + b.bedId() + " by " + b.user(),
                        () -> answer(n))));
    }

    /** The bedside event the body asks for, checked whole and against the bed's lifecycle. */
    private BedsideEvent bedsideOf(RoutingContext ctx, BedNight n) {
        Instant now = clock.instant();
        JsonObject body = RequestBody.of(ctx, Set.of("type", "position", "text", "at"));
        BedsideEventType type = RequestBody.choice(body, "type", BedsideEventType.class, true);
        BodyPosition pos = RequestBody.choice(body, "position", BodyPosition.class, false);
        String text = RequestBody.string(body, "text", false);
        Instant at = RequestBody.time(body, "at", now);
        String user = RouteChecks.user(ctx).name();
        new BedsideEvent("check", n.bedId(), "check", type, pos, text, user, now, at); // the body, whole
        String studyId = n.lifecycle().current().map(Study::studyId).orElseThrow(() -> new Refused(409,
                "no study on bed " + n.bedId() + ": a technologist admits one first"));
        BedsideEvent b = new BedsideEvent(UUID.randomUUID().toString(), n.bedId(), studyId, type, pos, text, user, now, at);
        n.lifecycle().check(b, now);
        return b;
    }

    /** The answer to a recorded mark: the bed's study and statistics. */
    private static JsonObject answer(BedNight n) {
        return new JsonObject().put("bed", n.bedId()).put("study", n.studyJson()).put("statistics", n.statisticsJson());
    }
}
