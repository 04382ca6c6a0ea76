package org.hypnostream.dashboard.night;

import io.vertx.core.json.JsonObject;

/**
 * One change of one bed's night, numbered: {@code seq} grows by exactly one per applied change of that bed, so a
 * client that saw seq n of a bed knows it is complete up to n. {@code kind} is bed, stage, leg, plm, alert, action
 * or neuro; {@code ward} is null for a bed without a {@code BedInfo}.
 */
public record BedUpdate(String bedId, String ward, long seq, String kind, JsonObject data) {
    public JsonObject toJson() {
        return new JsonObject().put("type", "update").put("bed", bedId).put("seq", seq).put("kind", kind).put("data", data);
    }
}
