package org.hypnostream.common.config;

import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Kafka client settings passed through to every producer, consumer and Streams client of a service (TLS, SASL,
 * timeouts): each configuration key {@code kafka.<client property>} other than {@code kafka.bootstrap.servers}, from
 * the environment ({@code HYPNOSTREAM_KAFKA_SECURITY_PROTOCOL=SASL_SSL} = {@code security.protocol}; Kafka client
 * property names contain only dots, so each {@code _} is read as a dot), system properties ({@code -Dkafka.x.y=...})
 * and explicit overrides, in that order of precedence (overrides win). Values are never logged (they hold passwords).
 */
public final class KafkaOverrides {
    public static final String PREFIX = "kafka.";
    private static final String ENV_PREFIX = "HYPNOSTREAM_KAFKA_";
    private static final String BOOTSTRAP = "bootstrap.servers";

    private KafkaOverrides() {
    }

    /** From this process's environment and system properties, then {@code overrides}. */
    public static Map<String, String> fromEnvironment(Map<String, String> overrides) {
        return from(System.getenv(), System.getProperties(), overrides);
    }

    /** The client properties (prefix stripped, sorted) that {@code env}, {@code system} and {@code overrides} set. */
    public static Map<String, String> from(Map<String, String> env, Properties system, Map<String, String> overrides) {
        Map<String, String> out = new TreeMap<>();
        env.forEach((k, v) -> {
            if (k.startsWith(ENV_PREFIX) && k.length() > ENV_PREFIX.length()) {
                put(out, k.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'), v);
            }
        });
        system.stringPropertyNames().forEach(k -> {
            if (k.startsWith(PREFIX)) {
                put(out, k.substring(PREFIX.length()), system.getProperty(k));
            }
        });
        overrides.forEach((k, v) -> {
            if (k.startsWith(PREFIX)) {
                put(out, k.substring(PREFIX.length()), v);
            }
        });
        return out;
    }

    private static void put(Map<String, String> out, String key, String value) {
        if (!key.equals(BOOTSTRAP) && !key.isBlank() && value != null && !value.isBlank()) {
            out.put(key, value.trim());
        }
    }
}
