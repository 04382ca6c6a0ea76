package org.hypnostream.dashboard.web;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.InstantSource;
import java.util.Locale;
import java.util.Optional;
import org.hypnostream.dashboard.DashboardConfig;
import org.hypnostream.dashboard.auth.RateLimiter;
import org.hypnostream.dashboard.auth.Role.Permission;
import org.hypnostream.dashboard.auth.Sessions;
import org.hypnostream.dashboard.auth.WsTickets;
import org.hypnostream.dashboard.auth.User;
import org.hypnostream.dashboard.auth.UserDirectory;
import org.hypnostream.dashboard.export.EdfPlusWriter;
import org.hypnostream.dashboard.feed.AlertActionSink;
import org.hypnostream.dashboard.feed.StudySink;
import org.hypnostream.dashboard.night.BedNight;
import org.hypnostream.dashboard.night.WardState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The dashboard's router: sign-in, REST, the websocket handshake, the static page, /metrics. */
public final class ApiRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(ApiRoutes.class);
    private static final int MAX_BODY_BYTES = 4096;
    private static final String USER = "user";

    private final Vertx vertx;
    private final DashboardConfig cfg;
    private final WardState state;
    private final LiveSockets sockets;
    private final UserDirectory users;
    private final Sessions sessions;
    private final WsTickets tickets;
    private final AlertActionSink actions;
    private final StudySink studies;
    private final InstantSource clock;
    private final RateLimiter logins;
    private final RateLimiter requests;
    private final Counter loginFailures;

    private ApiRoutes(Vertx vertx, DashboardConfig cfg, WardState state, LiveSockets sockets, UserDirectory users,
            Sessions sessions, AlertActionSink actions, StudySink studies, InstantSource clock, MeterRegistry registry) {
        this.vertx = vertx;
        this.cfg = cfg;
        this.state = state;
        this.sockets = sockets;
        this.users = users;
        this.sessions = sessions;
        this.tickets = new WsTickets(clock);
        this.actions = actions;
        this.studies = studies;
        this.clock = clock;
        this.logins = new RateLimiter(clock, cfg.loginsPerMinute() / 60.0, cfg.loginsPerMinute());
        this.requests = new RateLimiter(clock, cfg.requestsPerSecond(), cfg.requestsPerSecond() * 5.0);
        this.loginFailures = registry.counter("hypnostream.dashboard.login.failures");
    }

    public static Router build(Vertx vertx, DashboardConfig cfg, WardState state, LiveSockets sockets, UserDirectory users,
            Sessions sessions, AlertActionSink actions, StudySink studies, InstantSource clock, MeterRegistry registry,
            io.vertx.core.Handler<RoutingContext> metrics) {
        ApiRoutes a = new ApiRoutes(vertx, cfg, state, sockets, users, sessions, actions, studies, clock, registry);
        Router r = Router.router(vertx);
        r.route().handler(ctx -> {
            ctx.response().putHeader("X-Content-Type-Options", "nosniff").putHeader("X-Frame-Options", "DENY")
                    .putHeader("Referrer-Policy", "no-referrer")
                    .putHeader("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; "
                            + "img-src 'self' data:; connect-src 'self' ws: wss:");
            ctx.next();
        });
        r.get("/metrics").handler(metrics);
        r.get("/health").handler(ctx -> ctx.response().end("ok\n"));
        r.get("/ws").handler(a::webSocket);
        r.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
        r.post("/api/login").handler(a::login);
        r.route("/api/*").handler(a::authenticate);
        r.post("/api/logout").handler(ctx -> {
            sessions.close(token(ctx));
            ctx.response().setStatusCode(204).end();
        });
        r.post("/api/ws-ticket").handler(ctx -> json(ctx, 200, new JsonObject().put("ticket", a.tickets.issue(user(ctx)))
                .put("expiresInSeconds", WsTickets.TTL.toSeconds())));
        r.get("/api/me").handler(ctx -> json(ctx, 200, new JsonObject().put("user", user(ctx).name())
                .put("wards", new JsonArray(user(ctx).wards().stream().sorted().toList())).put("role", user(ctx).role().id())));
        r.get("/api/beds").handler(a::beds);
        r.get("/api/alerts").handler(a::alerts);
        r.get("/api/beds/:bed/night").handler(ctx -> a.visibleBed(ctx).ifPresent(n -> json(ctx, 200, n.toJson())));
        r.get("/api/beds/:bed/alerts").handler(ctx -> a.visibleBed(ctx).ifPresent(n ->
                json(ctx, 200, new JsonObject().put("alerts", n.toJson().getJsonArray("alerts")).put("actions", n.toJson().getJsonArray("actions")))));
        r.get("/api/beds/:bed/export.edf").handler(a::exportEdf);
        AlarmRoutes.mount(r, vertx, state, actions, clock);
        StudyRoutes.mount(r, vertx, state, sockets, studies, clock);
        ReviewRoutes.mount(r, vertx, state, sockets, studies, clock);
        RescoreRoutes.mount(r, vertx, state, studies, clock);
        r.route("/api/*").handler(ctx -> error(ctx, 404, "no such endpoint"));
        r.route().failureHandler(ctx -> {
            int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
            if (status >= 500) {
                LOG.error("{} {} failed", ctx.request().method(), ctx.normalizedPath(), ctx.failure());
            }
            if (!ctx.response().ended()) {
                error(ctx, status, status == 413 ? "request too large" : status >= 500 ? "internal error" : "bad request");
            }
        });
        r.route("/*").handler(StaticHandler.create("web").setCachingEnabled(false).setDirectoryListing(false));
        return r;
    }

    static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
                .end(body.encode());
    }

    static void error(RoutingContext ctx, int status, String message) {
        json(ctx, status, new JsonObject().put("error", message));
    }

    static User user(RoutingContext ctx) {
        return ctx.get(USER);
    }

    private static String token(RoutingContext ctx) {
        String h = ctx.request().getHeader("Authorization");
        if (h != null && h.startsWith("Bearer ")) {
            return h.substring(7).trim();
        }
        return null;
    }

    private void login(RoutingContext ctx) {
        String remote = String.valueOf(ctx.request().remoteAddress() == null ? "?" : ctx.request().remoteAddress().hostAddress());
        if (!logins.tryAcquire(remote)) {
            error(ctx, 429, "too many sign-in attempts, wait a minute");
            return;
        }
        JsonObject body;
        try {
            body = ctx.body().asJsonObject();
        } catch (DecodeException | ClassCastException e) {
            error(ctx, 400, "sign-in body must be JSON {user, password}");
            return;
        }
        if (body == null || !(body.getValue("user") instanceof String name) || !(body.getValue("password") instanceof String pw)) {
            error(ctx, 400, "sign-in body must be JSON {user, password}");
            return;
        }
        vertx.executeBlocking(() -> users.authenticate(name, pw), false).onComplete(ar -> {
            Optional<User> u = ar.succeeded() ? ar.result() : Optional.empty();
            if (u.isEmpty()) {
                loginFailures.increment();
                LOG.warn("failed sign-in for user name '{}' from {}", name.length() > 32 ? name.substring(0, 32) : name, remote);
                error(ctx, 401, "wrong user name or password");
                return;
            }
            LOG.info("user {} signed in from {}", u.get().name(), remote);
            json(ctx, 200, new JsonObject().put("token", sessions.open(u.get())).put("user", u.get().name())
                    .put("wards", new JsonArray(u.get().wards().stream().sorted().toList())).put("role", u.get().role().id()));
        });
    }

    /** The bearer token's user, or for the websocket handshake the user of a one-time {@code ticket} instead. */
    private Optional<User> checkToken(RoutingContext ctx, boolean allowTicket) {
        String ticket = allowTicket ? ctx.request().getParam("ticket") : null;
        Optional<User> u = ticket != null ? tickets.redeem(ticket) : sessions.user(token(ctx));
        if (u.isEmpty()) {
            error(ctx, 401, ticket != null ? "websocket ticket unknown, used or expired: ask POST /api/ws-ticket again"
                    : "sign in first");
        } else if (!requests.tryAcquire(u.get().name())) {
            error(ctx, 429, "too many requests");
            return Optional.empty();
        }
        return u;
    }

    private void authenticate(RoutingContext ctx) {
        checkToken(ctx, false).ifPresent(u -> {
            ctx.put(USER, u);
            ctx.next();
        });
    }

    /** The bed if it exists and the user may see it, else answers 404 (no way to probe other wards' bed ids). */
    private Optional<BedNight> visibleBed(RoutingContext ctx) {
        return visibleBed(ctx, state);
    }

    /** The bed when the user's role allows {@code p} and the bed is theirs; else answers 403 / 404. */
    static Optional<BedNight> permittedBed(RoutingContext ctx, WardState state, Permission p) {
        User u = user(ctx);
        if (!u.may(p)) {
            error(ctx, 403, "a " + u.role().id() + " may not do this (" + p.name().toLowerCase(Locale.ROOT) + ")");
            return Optional.empty();
        }
        return visibleBed(ctx, state);
    }

    static Optional<BedNight> visibleBed(RoutingContext ctx, WardState state) {
        String id = ctx.pathParam("bed");
        Optional<BedNight> n = WardState.BED_ID.matcher(id).matches() ? state.bed(id) : Optional.empty();
        if (n.isEmpty() || !user(ctx).maySee(n.get().ward())) {
            error(ctx, 404, "no such bed");
            return Optional.empty();
        }
        return n;
    }

    private void beds(RoutingContext ctx) {
        JsonArray beds = new JsonArray();
        for (BedNight n : state.beds()) {
            if (user(ctx).maySee(n.ward())) {
                JsonObject o = n.toJson();
                beds.add(new JsonObject().put("bed", n.bedId()).put("ward", n.ward()).put("displayName", o.getString("displayName"))
                        .put("seq", n.seq()).put("epochs", n.stages().size()).put("lastEventAt", o.getString("lastEventAt"))
                        .put("stale", n.lastEventAt() == null || n.lastEventAt().plus(cfg.staleAfter()).isBefore(clock.instant())));
            }
        }
        json(ctx, 200, new JsonObject().put("beds", beds).put("serverTime", clock.instant().toString()));
    }

    private void alerts(RoutingContext ctx) {
        JsonArray out = new JsonArray();
        for (BedNight n : state.beds()) {
            if (user(ctx).maySee(n.ward())) {
                n.toJson().getJsonArray("alerts").forEach(out::add);
            }
        }
        json(ctx, 200, new JsonObject().put("alerts", out));
    }

    private void exportEdf(RoutingContext ctx) {
        visibleBed(ctx).ifPresent(n -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                EdfPlusWriter.write(n, out);
            } catch (IOException e) {
                error(ctx, 500, "export failed");
                return;
            }
            ctx.response().putHeader("Content-Type", "application/octet-stream")
                    .putHeader("Content-Disposition", "attachment; filename=\"" + n.bedId() + ".edf\"")
                    .end(Buffer.buffer(out.toByteArray()));
        });
    }

    /**
     * {@code GET /ws?ward=W} or {@code /ws?bed=B}; the token in the Authorization header, or (browsers cannot set it)
     * {@code &ticket=T}, a one-time ticket from {@code POST /api/ws-ticket}. A token in the URL is not accepted.
     */
    private void webSocket(RoutingContext ctx) {
        Optional<User> u = checkToken(ctx, true);
        if (u.isEmpty()) {
            return;
        }
        String ward = ctx.request().getParam("ward");
        String bed = ctx.request().getParam("bed");
        if ((ward == null) == (bed == null)) {
            error(ctx, 400, "subscribe to exactly one of ward= or bed=");
            return;
        }
        if (ward != null && !(User.ALL_WARDS.equals(ward) ? u.get().isAdmin() : u.get().wards().contains(ward) || u.get().isAdmin())) {
            error(ctx, 403, "not your ward");
            return;
        }
        if (bed != null) {
            Optional<BedNight> n = WardState.BED_ID.matcher(bed).matches() ? state.bed(bed) : Optional.empty();
            if (n.isEmpty() || !u.get().maySee(n.get().ward())) {
                error(ctx, 404, "no such bed");
                return;
            }
        }
        if (sockets.countFor(u.get()) >= cfg.maxSocketsPerUser()) {
            error(ctx, 429, "too many open dashboards for this user");
            return;
        }
        ctx.request().toWebSocket().onSuccess(ws -> sockets.add(ws, u.get(), ward, bed))
                .onFailure(e -> LOG.warn("websocket upgrade failed: {}", e.toString()));
    }
}
