package org.hypnostream.dashboard.web;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import org.hypnostream.dashboard.auth.User;
import org.hypnostream.dashboard.night.BedNight;
import org.hypnostream.dashboard.night.WardState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The websocket handshake, {@code GET /ws?ward=W} or {@code /ws?bed=B}: the token in the Authorization header, or
 * (browsers cannot set it) {@code &ticket=T}, a one-time ticket from {@code POST /api/ws-ticket}; a token in the URL is
 * not accepted. Then exactly one subscription (400), the ward theirs (403), the bed visible (404), and at most
 * {@code maxSocketsPerUser} open dashboards per user (429).
 */
final class SocketRoute {
    private static final Logger LOG = LoggerFactory.getLogger(SocketRoute.class);

    private final SignInRoutes signIn;
    private final WardState state;
    private final LiveSockets sockets;
    private final int maxSocketsPerUser;

    private SocketRoute(SignInRoutes signIn, WardState state, LiveSockets sockets, int maxSocketsPerUser) {
        this.signIn = signIn;
        this.state = state;
        this.sockets = sockets;
        this.maxSocketsPerUser = maxSocketsPerUser;
    }

    static void mount(Router r, SignInRoutes signIn, WardState state, LiveSockets sockets, int maxSocketsPerUser) {
        SocketRoute s = new SocketRoute(signIn, state, sockets, maxSocketsPerUser);
        r.get("/ws").handler(s::webSocket);
    }

    private void webSocket(RoutingContext ctx) {
        Optional<User> u = signIn.check(ctx, true);
        if (u.isEmpty()) {
            return;
        }
        String ward = ctx.request().getParam("ward");
        String bed = ctx.request().getParam("bed");
        if ((ward == null) == (bed == null)) {
            RouteChecks.error(ctx, 400, "subscribe to exactly one of ward= or bed=");
            return;
        }
        if (ward != null && !(User.ALL_WARDS.equals(ward) ? u.get().isAdmin() : u.get().wards().contains(ward) || u.get().isAdmin())) {
            RouteChecks.error(ctx, 403, "not your ward");
            return;
        }
        if (bed != null) {
            Optional<BedNight> n = WardState.BED_ID.matcher(bed).matches() ? state.bed(bed) : Optional.empty();
            if (n.isEmpty() || !u.get().maySee(n.get().ward())) {
                RouteChecks.error(ctx, 404, "no such bed");
                return;
            }
        }
        if (sockets.countFor(u.get()) >= maxSocketsPerUser) {
            RouteChecks.error(ctx, 429, "too many open dashboards for this user");
            return;
        }
        ctx.request().toWebSocket().onSuccess(ws -> sockets.add(ws, u.get(), ward, bed))
                .onFailure(e -> LOG.warn("websocket upgrade failed: {}", e.toString()));
    }
}
