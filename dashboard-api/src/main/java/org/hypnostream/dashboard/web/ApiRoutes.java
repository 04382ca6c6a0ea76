package org.hypnostream.dashboard.web;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.time.InstantSource;
import org.hypnostream.dashboard.DashboardConfig;
import org.hypnostream.dashboard.auth.Sessions;
import org.hypnostream.dashboard.auth.UserDirectory;
import org.hypnostream.dashboard.feed.AlertActionSink;
import org.hypnostream.dashboard.feed.StudySink;
import org.hypnostream.dashboard.night.WardState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's router: security headers, /metrics and /health, the websocket handshake ({@link SocketRoute}), sign-in
 * and the token check ({@link SignInRoutes}), then the REST routes by resource: beds ({@link BedRoutes}), alarms
 * ({@link AlarmRoutes}), studies ({@link StudyRoutes}), the morning review ({@link ReviewRoutes}), re-scores
 * ({@link RescoreRoutes}), every one checked by {@link RouteChecks}; then 404 for any other {@code /api/*}, the failure
 * answer, and the static page. The order of the mounts is the order requests meet them.
 */
public final class ApiRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(ApiRoutes.class);
    private static final int MAX_BODY_BYTES = 4096;

    private ApiRoutes() {
    }

    public static Router build(Vertx vertx, DashboardConfig cfg, WardState state, LiveSockets sockets, UserDirectory users,
            Sessions sessions, AlertActionSink actions, StudySink studies, InstantSource clock, MeterRegistry registry,
            Handler<RoutingContext> metrics) {
        SignInRoutes signIn = new SignInRoutes(vertx, cfg, users, sessions, clock, registry);
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
        SocketRoute.mount(r, signIn, state, sockets, cfg.maxSocketsPerUser());
        r.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
        signIn.mount(r);
        BedRoutes.mount(r, state, cfg.staleAfter(), clock);
        AlarmRoutes.mount(r, vertx, state, actions, clock);
        StudyRoutes.mount(r, vertx, state, sockets, studies, clock);
        ReviewRoutes.mount(r, vertx, state, sockets, studies, clock);
        RescoreRoutes.mount(r, vertx, state, studies, clock);
        r.route("/api/*").handler(ctx -> RouteChecks.error(ctx, 404, "no such endpoint"));
        r.route().failureHandler(ctx -> {
            int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
            if (status >= 500) {
                LOG.error("{} {} failed", ctx.request().method(), ctx.normalizedPath(), ctx.failure());
            }
            if (!ctx.response().ended()) {
                RouteChecks.error(ctx, status, status == 413 ? "request too large"
                        : status >= 500 ? "internal error" : "bad request");
            }
        });
        r.route("/*").handler(StaticHandler.create("web").setCachingEnabled(false).setDirectoryListing(false));
        return r;
    }
}
