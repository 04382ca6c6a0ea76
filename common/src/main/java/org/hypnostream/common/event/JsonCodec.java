package org.hypnostream.common.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;

/**
 * The one JSON mapping of all events: ISO-8601 UTC times, unknown fields ignored (forward compatible), nulls
 * rejected for primitives, bounded input sizes.
 */
public final class JsonCodec {
    /** Largest event we accept; events are small, anything larger is an attack or a bug. */
    public static final int MAX_EVENT_BYTES = 1 << 20;

    private static final ObjectMapper MAPPER = create();

    private JsonCodec() {
    }

    private static ObjectMapper create() {
        ObjectMapper m = new ObjectMapper();
        m.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(32).maxStringLength(MAX_EVENT_BYTES).maxNumberLength(64).build());
        m.registerModule(new JavaTimeModule());
        m.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        m.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        m.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        return m;
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] toBytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    public static String toJson(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    /** Parses one event; throws {@link IllegalArgumentException} naming the type and the problem for bad input. */
    public static <T> T fromBytes(byte[] bytes, Class<T> type) {
        if (bytes == null) {
            throw new IllegalArgumentException(type.getSimpleName() + ": null payload");
        }
        if (bytes.length > MAX_EVENT_BYTES) {
            throw new IllegalArgumentException(type.getSimpleName() + ": " + bytes.length + " bytes exceeds " + MAX_EVENT_BYTES);
        }
        try {
            T v = MAPPER.readValue(bytes, type);
            if (v == null) {
                throw new IllegalArgumentException(type.getSimpleName() + ": JSON null");
            }
            return v;
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(type.getSimpleName() + ": invalid JSON event: " + firstLine(e.getMessage()), e);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
