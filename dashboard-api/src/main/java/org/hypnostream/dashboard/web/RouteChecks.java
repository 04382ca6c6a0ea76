package org.hypnostream.dashboard.web;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import org.hypnostream.common.review.ReviewRefusal;
import org.hypnostream.common.study.StudyRefusal;
import org.hypnostream.dashboard.auth.Role.Permission;
import org.hypnostream.dashboard.auth.User;
import org.hypnostream.dashboard.night.BedNight;
import org.hypnostream.dashboard.night.WardState;

/**
 * The checks every bed route makes, in one order: role (403), bed visible to the user (404: no way to probe other
 * wards' bed ids), body (400), the study's lifecycle or the review's rules (409); and the JSON answers they give.
 */
final class RouteChecks {
    /** Where {@link SignInRoutes}' token check puts the signed-in user. */
    static final String USER = "user";

    private RouteChecks() {
    }

    static User user(RoutingContext ctx) {
        return ctx.get(USER);
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

    /** The bed if it exists and the user may see it, else answers 404. */
    static Optional<BedNight> visibleBed(RoutingContext ctx, WardState state) {
        String id = ctx.pathParam("bed");
        Optional<BedNight> n = WardState.BED_ID.matcher(id).matches() ? state.bed(id) : Optional.empty();
        if (n.isEmpty() || !user(ctx).maySee(n.get().ward())) {
            error(ctx, 404, "no such bed");
            return Optional.empty();
        }
        return n;
    }

    /**
     * What {@code step} builds from the request (after the role and bed checks), or empty once answered: a
     * {@link Refused} with its status, a lifecycle or review refusal ({@link StudyRefusal}, {@link ReviewRefusal}) with
     * 409, any other bad value ({@link IllegalArgumentException}, {@link NullPointerException}: a record's compact
     * constructor) with 400.
     */
    static <T> Optional<T> checked(RoutingContext ctx, Supplier<T> step) {
        try {
            return Optional.of(step.get());
        } catch (Refused r) {
            error(ctx, r.status, r.getMessage());
        } catch (StudyRefusal | ReviewRefusal r) {
            error(ctx, 409, r.getMessage());
        } catch (IllegalArgumentException | NullPointerException bad) {
            error(ctx, 400, String.valueOf(bad.getMessage()));
        }
        return Optional.empty();
    }

    static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
                .end(body.encode());
    }

    static void error(RoutingContext ctx, int status, String message) {
        json(ctx, status, new JsonObject().put("error", message));
    }
}
