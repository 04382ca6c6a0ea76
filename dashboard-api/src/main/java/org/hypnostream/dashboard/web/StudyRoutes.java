package org.hypnostream.dashboard.web;

import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
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
 * object with known fields of the right types), the study's lifecycle (409 with the reason); only then written to
 * Kafka (201 once acked) and applied at once, so the next request sees it. One write per bed at a time (409 while
 * one is in flight), so two marks cannot both pass the lifecycle check.
 */
final class StudyRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(StudyRoutes.class);
    private static final DateTimeFormatter STUDY_ID = DateTimeFormatter.ofPattern("'S-'yyyyMMdd-HHmmss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /** A request the body or the lifecycle refused: the status and the message for the user. */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;

        Refused(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

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
                ApiRoutes.json(ctx, 200, new JsonObject().put("bed", n.bedId()).put("study", n.studyJson())
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
        return ApiRoutes.permittedBed(ctx, state, p);
    }

    private void mark(RoutingContext ctx, Permission p, StudyEventType type) {
        bed(ctx, p).ifPresent(n -> {
            User u = ApiRoutes.user(ctx);
            Instant now = clock.instant();
            try {
                JsonObject body = body(ctx, switch (type) {
                    case ADMITTED -> Set.of("studyId", "patientRef", "protocol", "ruleSet", "population", "at");
                    case AMENDED -> Set.of("mark", "at", "reason");
                    default -> Set.of("at", "comment");
                });
                Instant at = time(body, "at", type == StudyEventType.AMENDED ? null : now);
                Optional<Study> current = n.lifecycle().current();
                StudyEvent e;
                if (type == StudyEventType.ADMITTED) {
                    Admission a = new Admission(string(body, "patientRef", true),
                            choice(body, "protocol", StudyProtocol.class, true), string(body, "ruleSet", false),
                            choice(body, "population", Population.class, true));
                    String studyId = Optional.ofNullable(string(body, "studyId", false)).orElse(STUDY_ID.format(now));
                    e = new StudyEvent(UUID.randomUUID().toString(), n.bedId(), studyId, type, u.name(), now, at, a, null, null);
                } else {
                    boolean amend = type == StudyEventType.AMENDED;
                    StudyEventType amends = amend ? choice(body, "mark", StudyEventType.class, true) : null;
                    String reason = string(body, amend ? "reason" : "comment", amend);
                    // the body is checked whole (a dummy study id) before the study is looked up
                    new StudyEvent("check", n.bedId(), "check", type, u.name(), now, at, null, amends, reason);
                    String studyId = current.map(Study::studyId).orElseThrow(() -> new Refused(409,
                            "no study on bed " + n.bedId() + ": a technologist admits one first"));
                    e = new StudyEvent(UUID.randomUUID().toString(), n.bedId(), studyId, type, u.name(), now, at, null, amends, reason);
                }
                n.lifecycle().check(e, now);
                writes.write(ctx, n, e, () -> sink.publish(e), e.toString(), () -> answer(n));
            } catch (Refused r) {
                ApiRoutes.error(ctx, r.status, r.getMessage());
            } catch (org.hypnostream.common.study.StudyRefusal r) {
                ApiRoutes.error(ctx, 409, r.getMessage());
            } catch (IllegalArgumentException | NullPointerException bad) {
                ApiRoutes.error(ctx, 400, String.valueOf(bad.getMessage()));
            }
        });
    }

    private void bedside(RoutingContext ctx) {
        bed(ctx, Permission.BEDSIDE_EVENT).ifPresent(n -> {
            Instant now = clock.instant();
            try {
                JsonObject body = body(ctx, Set.of("type", "position", "text", "at"));
                BedsideEventType type = choice(body, "type", BedsideEventType.class, true);
                BodyPosition pos = choice(body, "position", BodyPosition.class, false);
                String text = string(body, "text", false);
                Instant at = time(body, "at", now);
                String user = ApiRoutes.user(ctx).name();
                new BedsideEvent("check", n.bedId(), "check", type, pos, text, user, now, at); // the body, whole
                String studyId = n.lifecycle().current().map(Study::studyId).orElseThrow(() -> new Refused(409,
                        "no study on bed " + n.bedId() + ": a technologist admits one first"));
                BedsideEvent b = new BedsideEvent(UUID.randomUUID().toString(), n.bedId(), studyId, type, pos, text, user, now, at);
                n.lifecycle().check(b, now);
                writes.write(ctx, n, b, () -> sink.publish(b), "bedside " + b.type() + " on bed " + b.bedId() + " by " + b.user(),
                        () -> answer(n));
            } catch (Refused r) {
                ApiRoutes.error(ctx, r.status, r.getMessage());
            } catch (org.hypnostream.common.study.StudyRefusal r) {
                ApiRoutes.error(ctx, 409, r.getMessage());
            } catch (IllegalArgumentException | NullPointerException bad) {
                ApiRoutes.error(ctx, 400, String.valueOf(bad.getMessage()));
            }
        });
    }

    /** The answer to a recorded mark: the bed's study and statistics. */
    private static JsonObject answer(BedNight n) {
        return new JsonObject().put("bed", n.bedId()).put("study", n.studyJson()).put("statistics", n.statisticsJson());
    }

    /** The body as a JSON object holding only {@code allowed} keys (an empty body = {}). */
    static JsonObject body(RoutingContext ctx, Set<String> allowed) {
        JsonObject o;
        try {
            o = ctx.body().length() == 0 ? new JsonObject() : ctx.body().asJsonObject();
        } catch (DecodeException | ClassCastException e) {
            throw new Refused(400, "body must be a JSON object with fields " + new java.util.TreeSet<>(allowed));
        }
        if (o == null) {
            throw new Refused(400, "body must be a JSON object with fields " + new java.util.TreeSet<>(allowed));
        }
        for (String k : o.fieldNames()) {
            if (!allowed.contains(k)) {
                throw new Refused(400, "unknown field '" + (k.length() > 32 ? k.substring(0, 32) : k) + "' (allowed: "
                        + new java.util.TreeSet<>(allowed) + ")");
            }
        }
        return o;
    }

    static String string(JsonObject o, String key, boolean required) {
        Object v = o.getValue(key);
        if (v == null) {
            if (required) {
                throw new Refused(400, "field '" + key + "' is required");
            }
            return null;
        }
        if (!(v instanceof String s)) {
            throw new Refused(400, "field '" + key + "' must be a string");
        }
        return s;
    }

    static <E extends Enum<E>> E choice(JsonObject o, String key, Class<E> type, boolean required) {
        String s = string(o, key, required);
        if (s == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, s.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new Refused(400, "field '" + key + "' must be one of " + java.util.Arrays.toString(type.getEnumConstants()));
        }
    }

    /** An ISO-8601 time (device clock); {@code fallback} when absent (null = required). */
    static Instant time(JsonObject o, String key, Instant fallback) {
        String s = string(o, key, fallback == null);
        if (s == null) {
            return fallback;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw new Refused(400, "field '" + key + "' must be an ISO-8601 UTC time such as 2026-11-20T22:00:00Z");
        }
    }
}
