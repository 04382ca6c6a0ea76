package org.hypnostream.dashboard.night;

import io.vertx.core.json.JsonObject;
import org.hypnostream.common.event.AlarmNotice;
import org.hypnostream.common.event.Alert;
import org.hypnostream.common.event.AlertAction;
import org.hypnostream.common.event.BedInfo;
import org.hypnostream.common.event.LegMovementEvent;
import org.hypnostream.common.event.NeuromuscularEvent;
import org.hypnostream.common.event.PlmEvent;
import org.hypnostream.common.event.RevisedHypnogram;
import org.hypnostream.common.event.StageEvent;
import org.hypnostream.common.review.ReviewEvent;
import org.hypnostream.common.study.BedsideEvent;
import org.hypnostream.common.study.StudyEvent;
import org.hypnostream.dashboard.eeg.EegFrame;
import org.hypnostream.dashboard.eeg.EmgTrace;
import org.hypnostream.dashboard.feed.DashboardEvent;

/** The websocket JSON of the change an event just made to a bed's night ({@link BedNight#changeJson}), per kind. */
final class ChangeJson implements DashboardEvent.Visitor<JsonObject> {
    private final BedNight night;

    ChangeJson(BedNight night) {
        this.night = night;
    }

    @Override
    public JsonObject bedInfo(BedInfo b) {
        return NightJson.record(b);
    }

    @Override
    public JsonObject stage(StageEvent s) {
        return NightJson.stage(s);
    }

    @Override
    public JsonObject leg(LegMovementEvent l) {
        return NightJson.leg(l);
    }

    @Override
    public JsonObject plm(PlmEvent p) {
        return NightJson.record(p);
    }

    @Override
    public JsonObject alert(Alert a) {
        return NightJson.record(a).put("alarm", night.alarmStatus(a).toJson());
    }

    @Override
    public JsonObject alertAction(AlertAction a) {
        return NightJson.record(a);
    }

    @Override
    public JsonObject alarmNotice(AlarmNotice n) {
        return NightJson.record(n);
    }

    @Override
    public JsonObject neuromuscular(NeuromuscularEvent n) {
        return NightJson.record(n);
    }

    @Override
    public JsonObject study(StudyEvent e) {
        return NightJson.study(night);
    }

    @Override
    public JsonObject bedside(BedsideEvent b) {
        return NightJson.bedside(b);
    }

    @Override
    public JsonObject review(ReviewEvent r) {
        return new JsonObject().put("id", r.eventId()).put("studyId", r.studyId()).put("type", r.type().name())
                .put("user", r.user()).put("status", night.review(r.studyId()).map(v -> v.status().name()).orElse(null));
    }

    @Override
    public JsonObject revised(RevisedHypnogram h) {
        return NightJson.revised(night, h);
    }

    @Override
    public JsonObject eegFrame(EegFrame f) {
        return NightJson.record(f);
    }

    @Override
    public JsonObject emgTrace(EmgTrace t) {
        return NightJson.record(t);
    }
}
