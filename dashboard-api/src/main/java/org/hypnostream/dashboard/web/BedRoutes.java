package org.hypnostream.dashboard.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.InstantSource;
import org.hypnostream.dashboard.export.EdfPlusWriter;
import org.hypnostream.dashboard.night.BedNight;
import org.hypnostream.dashboard.night.WardState;

/**
 * The read side of the ward: the beds and alerts the user may see ({@code GET /api/beds}, {@code /api/alerts}), one
 * bed's night and alerts, and its EDF+ export; a bed of another ward answers 404 like a missing one.
 */
final class BedRoutes {
    private final WardState state;
    private final Duration staleAfter;
    private final InstantSource clock;

    private BedRoutes(WardState state, Duration staleAfter, InstantSource clock) {
        this.state = state;
        this.staleAfter = staleAfter;
        this.clock = clock;
    }

    static void mount(Router r, WardState state, Duration staleAfter, InstantSource clock) {
        BedRoutes b = new BedRoutes(state, staleAfter, clock);
        r.get("/api/beds").handler(b::beds);
        r.get("/api/alerts").handler(b::alerts);
        r.get("/api/beds/:bed/night").handler(ctx -> RouteChecks.visibleBed(ctx, state).ifPresent(n ->
                RouteChecks.json(ctx, 200, n.toJson())));
        r.get("/api/beds/:bed/alerts").handler(ctx -> RouteChecks.visibleBed(ctx, state).ifPresent(n -> {
            JsonObject o = n.toJson();
            RouteChecks.json(ctx, 200, new JsonObject().put("alerts", o.getJsonArray("alerts"))
                    .put("actions", o.getJsonArray("actions")));
        }));
        r.get("/api/beds/:bed/export.edf").handler(b::exportEdf);
    }

    private void beds(RoutingContext ctx) {
        JsonArray beds = new JsonArray();
        for (BedNight n : state.beds()) {
            if (RouteChecks.user(ctx).maySee(n.ward())) {
                JsonObject o = n.toJson();
                beds.add(new JsonObject().put("bed", n.bedId()).put("ward", n.ward()).put("displayName", o.getString("displayName"))
                        .put("seq", n.seq()).put("epochs", n.epochCount()).put("lastEventAt", o.getString("lastEventAt"))
                        .put("stale", n.lastEventAt() == null || n.lastEventAt().plus(staleAfter).isBefore(clock.instant())));
            }
        }
        RouteChecks.json(ctx, 200, new JsonObject().put("beds", beds).put("serverTime", clock.instant().toString()));
    }

    private void alerts(RoutingContext ctx) {
        JsonArray out = new JsonArray();
        for (BedNight n : state.beds()) {
            if (RouteChecks.user(ctx).maySee(n.ward())) {
                n.toJson().getJsonArray("alerts").forEach(out::add);
            }
        }
        RouteChecks.json(ctx, 200, new JsonObject().put("alerts", out));
    }

    private void exportEdf(RoutingContext ctx) {
        RouteChecks.visibleBed(ctx, state).ifPresent(n -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                EdfPlusWriter.write(n, out);
            } catch (IOException e) {
                RouteChecks.error(ctx, 500, "export failed");
                return;
            }
            ctx.response().putHeader("Content-Type", "application/octet-stream")
                    .putHeader("Content-Disposition", "attachment; filename=\"" + n.bedId() + ".edf\"")
                    .end(Buffer.buffer(out.toByteArray()));
        });
    }
}
