package org.hypnostream.dashboard.web;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.hypnostream.dashboard.night.BedNight;
import org.hypnostream.dashboard.night.WardState;
import org.slf4j.Logger;

/**
 * The write path the study and review routes share: one write per bed at a time (409 while one is in flight), written
 * to its topic (503 when that fails), then applied to the ward state at once (so the next request checks against it)
 * and pushed to the live sockets, answered 201. Each routes instance keeps its own in-flight set.
 */
final class BedWrites {
    private final Vertx vertx;
    private final WardState state;
    private final LiveSockets sockets;
    private final Logger log;
    private final String noun;
    private final Set<String> writing = new HashSet<>();

    /** @param noun what a write is called in the answers ("mark", "review change") */
    BedWrites(Vertx vertx, WardState state, LiveSockets sockets, Logger log, String noun) {
        this.vertx = vertx;
        this.state = state;
        this.sockets = sockets;
        this.log = log;
        this.noun = noun;
    }

    /**
     * Publishes {@code event} on bed {@code n} unless a write for that bed is in flight, then applies it and answers
     * 201 with {@code answer} (read after the apply).
     */
    void write(RoutingContext ctx, BedNight n, Object event, Supplier<CompletionStage<Void>> publish, String what,
            Supplier<JsonObject> answer) {
        if (!writing.add(n.bedId())) {
            RouteChecks.error(ctx, 409, "another " + noun + " for bed " + n.bedId() + " is being recorded; try again");
            return;
        }
        Future.fromCompletionStage(publish.get(), vertx.getOrCreateContext()).onComplete(ar -> {
            writing.remove(n.bedId());
            if (ar.failed()) {
                log.error("{} not written: {}", what, ar.cause().toString());
                RouteChecks.error(ctx, 503, "the " + noun + " could not be recorded, try again");
                return;
            }
            log.info("recorded {}", what);
            try {
                state.apply(event).ifPresent(sockets::publish); // at once: the next request checks against it
            } catch (IllegalArgumentException raced) {
                log.warn("{} written but not applied: {}", what, raced.getMessage());
            }
            RouteChecks.json(ctx, 201, answer.get());
        });
    }
}
