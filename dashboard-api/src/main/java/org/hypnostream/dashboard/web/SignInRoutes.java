package org.hypnostream.dashboard.web;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.InstantSource;
import java.util.Optional;
import org.hypnostream.dashboard.DashboardConfig;
import org.hypnostream.dashboard.auth.RateLimiter;
import org.hypnostream.dashboard.auth.Sessions;
import org.hypnostream.dashboard.auth.User;
import org.hypnostream.dashboard.auth.UserDirectory;
import org.hypnostream.dashboard.auth.WsTickets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sign-in and sessions: {@code POST /api/login} (rate-limited per remote address, 429), the bearer-token check of
 * every other {@code /api/*} request (401, then rate-limited per user, 429), {@code POST /api/logout},
 * {@code POST /api/ws-ticket} (a one-time websocket ticket) and {@code GET /api/me}.
 */
final class SignInRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(SignInRoutes.class);

    private final Vertx vertx;
    private final UserDirectory users;
    private final Sessions sessions;
    private final WsTickets tickets;
    private final RateLimiter logins;
    private final RateLimiter requests;
    private final Counter loginFailures;

    SignInRoutes(Vertx vertx, DashboardConfig cfg, UserDirectory users, Sessions sessions, InstantSource clock,
            MeterRegistry registry) {
        this.vertx = vertx;
        this.users = users;
        this.sessions = sessions;
        this.tickets = new WsTickets(clock);
        this.logins = new RateLimiter(clock, cfg.loginsPerMinute() / 60.0, cfg.loginsPerMinute());
        this.requests = new RateLimiter(clock, cfg.requestsPerSecond(), cfg.requestsPerSecond() * 5.0);
        this.loginFailures = registry.counter("hypnostream.dashboard.login.failures");
    }

    /** Sign-in first, then the token check in front of every later {@code /api/*} route, then the session routes. */
    void mount(Router r) {
        r.post("/api/login").handler(this::login);
        r.route("/api/*").handler(this::authenticate);
        r.post("/api/logout").handler(ctx -> {
            sessions.close(token(ctx));
            ctx.response().setStatusCode(204).end();
        });
        r.post("/api/ws-ticket").handler(ctx -> RouteChecks.json(ctx, 200, new JsonObject()
                .put("ticket", tickets.issue(RouteChecks.user(ctx))).put("expiresInSeconds", WsTickets.TTL.toSeconds())));
        r.get("/api/me").handler(ctx -> {
            User u = RouteChecks.user(ctx);
            RouteChecks.json(ctx, 200, new JsonObject().put("user", u.name())
                    .put("wards", new JsonArray(u.wards().stream().sorted().toList())).put("role", u.role().id()));
        });
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
            RouteChecks.error(ctx, 429, "too many sign-in attempts, wait a minute");
            return;
        }
        JsonObject body;
        try {
            body = ctx.body().asJsonObject();
        } catch (DecodeException | ClassCastException e) {
            RouteChecks.error(ctx, 400, "sign-in body must be JSON {user, password}");
            return;
        }
        if (body == null || !(body.getValue("user") instanceof String name) || !(body.getValue("password") instanceof String pw)) {
            RouteChecks.error(ctx, 400, "sign-in body must be JSON {user, password}");
            return;
        }
        vertx.executeBlocking(() -> users.authenticate(name, pw), false).onComplete(ar -> {
            Optional<User> u = ar.succeeded() ? ar.result() : Optional.empty();
            if (u.isEmpty()) {
                loginFailures.increment();
                LOG.warn("failed sign-in for user name '{}' from {}", name.length() > 32 ? name.substring(0, 32) : name, remote);
                RouteChecks.error(ctx, 401, "wrong user name or password");
                return;
            }
            LOG.info("user {} signed in from {}", u.get().name(), remote);
            RouteChecks.json(ctx, 200, new JsonObject().put("token", sessions.open(u.get())).put("user", u.get().name())
                    .put("wards", new JsonArray(u.get().wards().stream().sorted().toList())).put("role", u.get().role().id()));
        });
    }

    /**
     * The bearer token's user, or for the websocket handshake the user of a one-time {@code ticket} instead; else
     * answers 401 (unknown) or 429 (too many requests) and is empty.
     */
    Optional<User> check(RoutingContext ctx, boolean allowTicket) {
        String ticket = allowTicket ? ctx.request().getParam("ticket") : null;
        Optional<User> u = ticket != null ? tickets.redeem(ticket) : sessions.user(token(ctx));
        if (u.isEmpty()) {
            RouteChecks.error(ctx, 401, ticket != null ? "websocket ticket unknown, used or expired: ask POST /api/ws-ticket again"
                    : "sign in first");
        } else if (!requests.tryAcquire(u.get().name())) {
            RouteChecks.error(ctx, 429, "too many requests");
            return Optional.empty();
        }
        return u;
    }

    private void authenticate(RoutingContext ctx) {
        check(ctx, false).ifPresent(u -> {
            ctx.put(RouteChecks.USER, u);
            ctx.next();
        });
    }
}
