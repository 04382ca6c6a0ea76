package org.hypnostream.dashboard.night;

import io.vertx.core.json.JsonObject;

/**
 * One change of one bed's night, numbered: {@code seq} grows by exactly one per applied change of that bed, so a
 * client that saw seq n of a bed knows it is complete up to n. {@code kind} is bed, stage, leg, plm, alert, action
 * neuro, study (data = the whole current study) or bedside; {@code ward} is null for a bed without a {@code BedInfo}.
 * {@code statistics} (the study's statistics after this change) rides along with stage, plm, study and bedside changes.
 */
public record BedUpdate(String bedId, String ward, long seq, String kind, JsonObject data, JsonObject statistics) {
    public BedUpdate(String bedId, String ward, long seq, String kind, JsonObject data) {
        this(bedId, ward, seq, kind, data, null);
    }

    public JsonObject toJson() {
        JsonObject o = new JsonObject().put("type", "update").put("bed", bedId).put("seq", seq).put("kind", kind).put("data", data);
        return statistics == null ? o : o.put("statistics", statistics);
    }
}
