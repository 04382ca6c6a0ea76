package org.hypnostream.dashboard.web;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The strict request body of a write: a JSON object holding only known fields, each of the right type; anything else
 * is {@link Refused} with 400 and a message that names the field.
 */
final class RequestBody {
    private RequestBody() {
    }

    /** The body as a JSON object holding only {@code allowed} keys (an empty body = {}). */
    static JsonObject of(RoutingContext ctx, Set<String> allowed) {
        JsonObject o;
        try {
            o = ctx.body().length() == 0 ? new JsonObject() : ctx.body().asJsonObject();
        } catch (DecodeException | ClassCastException e) {
            throw new Refused(400, "body must be a JSON object with fields " + new TreeSet<>(allowed));
        }
        if (o == null) {
            throw new Refused(400, "body must be a JSON object with fields " + new TreeSet<>(allowed));
        }
        for (String k : o.fieldNames()) {
            if (!allowed.contains(k)) {
                throw new Refused(400, "unknown field '" + (k.length() > 32 ? k.substring(0, 32) : k) + "' (allowed: "
                        + new TreeSet<>(allowed) + ")");
            }
        }
        return o;
    }

    static String string(JsonObject o, String key, boolean required) {
        Object v = o.getValue(key);
        if (v == null) {
            if (required) {
                throw new Refused(400, "field '" + key + "' is required");
            }
            return null;
        }
        if (!(v instanceof String s)) {
            throw new Refused(400, "field '" + key + "' must be a string");
        }
        return s;
    }

    static <E extends Enum<E>> E choice(JsonObject o, String key, Class<E> type, boolean required) {
        String s = string(o, key, required);
        if (s == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, s.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new Refused(400, "field '" + key + "' must be one of " + Arrays.toString(type.getEnumConstants()));
        }
    }

    /** An ISO-8601 time (device clock); {@code fallback} when absent (null = required). */
    static Instant time(JsonObject o, String key, Instant fallback) {
        String s = string(o, key, fallback == null);
        if (s == null) {
            return fallback;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw new Refused(400, "field '" + key + "' must be an ISO-8601 UTC time such as 2026-11-20T22:00:00Z");
        }
    }

    /** An epoch index (a whole number >= 0); {@code fallback} when absent (null = required). */
    static long epoch(JsonObject body, String key, Long fallback) {
        Object v = body.getValue(key);
        if (v == null) {
            if (fallback == null) {
                throw new Refused(400, "field '" + key + "' is required (an epoch index)");
            }
            return fallback;
        }
        if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() < 0) {
            throw new Refused(400, "field '" + key + "' must be an epoch index (a whole number >= 0)");
        }
        return ((Number) v).longValue();
    }
}
