package org.hypnostream.dashboard.web;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.InstantSource;
import java.util.Optional;
import org.hypnostream.common.event.Alert;
import org.hypnostream.common.event.AlertAction;
import org.hypnostream.common.event.AlertState;
import org.hypnostream.common.event.JsonCodec;
import org.hypnostream.dashboard.auth.Role.Permission;
import org.hypnostream.dashboard.auth.User;
import org.hypnostream.dashboard.feed.AlertActionSink;
import org.hypnostream.dashboard.night.AlarmStatus;
import org.hypnostream.dashboard.night.BedNight;
import org.hypnostream.dashboard.night.WardState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alarm actions, IEC 60601-1-8 terms kept apart (ADR 0013): acknowledge and audio pause (any role with
 * ALARM_ACTION), alarm off / on (ALARM_OFF: not a nurse); each written to alert-actions.v1 with the user's name before
 * it is answered 202. And the escalated alarms routed to the signed-in user ({@code GET /api/escalations}).
 */
final class AlarmRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(AlarmRoutes.class);

    private final Vertx vertx;
    private final WardState state;
    private final AlertActionSink actions;
    private final InstantSource clock;

    private AlarmRoutes(Vertx vertx, WardState state, AlertActionSink actions, InstantSource clock) {
        this.vertx = vertx;
        this.state = state;
        this.actions = actions;
        this.clock = clock;
    }

    static void mount(Router r, Vertx vertx, WardState state, AlertActionSink actions, InstantSource clock) {
        AlarmRoutes a = new AlarmRoutes(vertx, state, actions, clock);
        String base = "/api/beds/:bed/alerts/:alert/";
        r.post(base + "acknowledge").handler(ctx -> a.action(ctx, Permission.ALARM_ACTION, AlertAction.ACKNOWLEDGE));
        r.post(base + "audio-pause").handler(ctx -> a.action(ctx, Permission.ALARM_ACTION, AlertAction.AUDIO_PAUSED));
        r.post(base + "silence").handler(ctx -> a.action(ctx, Permission.ALARM_ACTION, AlertAction.AUDIO_PAUSED)); // the old name
        r.post(base + "alarm-off").handler(ctx -> a.action(ctx, Permission.ALARM_OFF, AlertAction.ALARM_OFF));
        r.post(base + "alarm-on").handler(ctx -> a.action(ctx, Permission.ALARM_OFF, AlertAction.ALARM_ON));
        r.get("/api/escalations").handler(a::escalations);
    }

    /**
     * Escalated alarms not acknowledged, cleared or off that are routed to this user: their role is the escalation's
     * target role on a ward they see, or the escalation named one of their wards; admins see all.
     */
    private void escalations(RoutingContext ctx) {
        User u = RouteChecks.user(ctx);
        JsonArray out = new JsonArray();
        for (BedNight n : state.beds()) {
            for (Alert a : n.alerts()) {
                AlarmStatus s = n.alarmStatus(a);
                if (!s.escalated() || a.state() == AlertState.CLEARED || s.acknowledgedBy() != null || s.alarmOff()) {
                    continue;
                }
                boolean mine = u.isAdmin() || (u.role().id().equals(s.escalatedTo()) && u.maySee(n.ward()))
                        || (s.escalatedWard() != null && u.wards().contains(s.escalatedWard()));
                if (mine) {
                    out.add(new JsonObject().put("bed", n.bedId()).put("ward", n.ward()).put("alertId", a.alertId())
                            .put("code", a.code()).put("priority", a.priority().name()).put("physiological", a.physiological())
                            .put("message", a.message()).put("raisedAt", a.raisedAt() == null ? null : a.raisedAt().toString())
                            .put("alarm", s.toJson()));
                }
            }
        }
        RouteChecks.json(ctx, 200, new JsonObject().put("escalations", out));
    }

    private void action(RoutingContext ctx, Permission needed, String action) {
        Optional<BedNight> n = RouteChecks.permittedBed(ctx, state, needed);
        if (n.isEmpty()) {
            return;
        }
        String alertId = ctx.pathParam("alert");
        Optional<Alert> alert = n.get().alerts().stream().filter(a -> a.alertId().equals(alertId)).findFirst();
        if (alert.isEmpty()) {
            RouteChecks.error(ctx, 404, "no alert " + (alertId.length() > 64 ? alertId.substring(0, 64) : alertId) + " on this bed");
            return;
        }
        JsonObject body;
        try {
            body = ctx.body().length() == 0 ? new JsonObject() : ctx.body().asJsonObject();
        } catch (DecodeException | ClassCastException e) {
            RouteChecks.error(ctx, 400, "body must be a JSON object");
            return;
        }
        long seconds = 0;
        if (action.equals(AlertAction.AUDIO_PAUSED)) {
            Object s = body.getValue("seconds");
            if (!(s instanceof Number num) || num.longValue() < 1 || num.longValue() > 24 * 3600) {
                RouteChecks.error(ctx, 400, "audio pause needs seconds between 1 and 86400");
                return;
            }
            seconds = num.longValue();
        }
        Object c = body.getValue("comment");
        String comment = c instanceof String s ? (s.length() > 200 ? s.substring(0, 200) : s) : null;
        if (action.equals(AlertAction.ALARM_OFF) && (comment == null || comment.isBlank())) {
            RouteChecks.error(ctx, 400, "alarm off needs a comment (the reason, for the audit trail)");
            return;
        }
        AlertAction act = new AlertAction(alertId, n.get().bedId(), action, RouteChecks.user(ctx).name(), clock.instant(), seconds,
                comment);
        Future.fromCompletionStage(actions.publish(act), vertx.getOrCreateContext()).onComplete(ar -> {
            if (ar.succeeded()) {
                LOG.info("{} of alert {} on bed {} by {}", action, alertId, act.bedId(), act.user());
                RouteChecks.json(ctx, 202, new JsonObject(JsonCodec.toJson(act)));
            } else {
                LOG.error("alert action {} on bed {} not written: {}", action, act.bedId(), ar.cause().toString());
                RouteChecks.error(ctx, 503, "the action could not be recorded, try again");
            }
        });
    }
}
