package org.hypnostream.common.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads configuration from a key-to-value function and collects every problem instead of failing on the first.
 *
 * <p>Keys are dotted ({@code kafka.bootstrap.servers}); {@link #fromEnvironment} maps each to an environment
 * variable {@code HYPNOSTREAM_KAFKA_BOOTSTRAP_SERVERS} (upper case, dots and dashes to underscores), overridden by a
 * system property of the key's own name, overridden by explicit values (command-line options). Each getter records
 * the key, its default and its meaning, so {@link #describe()} prints the documented table. Call
 * {@link #validate()} once after reading every key: it throws a {@link ConfigException} listing all problems.
 */
public final class ConfigReader {
    private final Function<String, String> source;
    private final List<String> problems = new ArrayList<>();
    private final Map<String, String[]> documented = new LinkedHashMap<>();

    public ConfigReader(Function<String, String> source) {
        this.source = source;
    }

    public static ConfigReader of(Map<String, String> values) {
        Map<String, String> copy = new HashMap<>(values);
        return new ConfigReader(copy::get);
    }

    public static String envName(String key) {
        return "HYPNOSTREAM_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** Environment, then system properties, then {@code overrides} (highest precedence). */
    public static ConfigReader fromEnvironment(Map<String, String> overrides) {
        return layered(System.getenv(), System::getProperty, overrides);
    }

    /** {@link #fromEnvironment} over the given environment and system properties (for tests of a precedence order). */
    public static ConfigReader layered(Map<String, String> env, Function<String, String> systemProperties,
            Map<String, String> overrides) {
        Map<String, String> e = Map.copyOf(env);
        Map<String, String> o = new HashMap<>(overrides);
        return new ConfigReader(key -> {
            if (o.containsKey(key)) {
                return o.get(key);
            }
            String p = systemProperties.apply(key);
            return p != null ? p : e.get(envName(key));
        });
    }

    private String raw(String key, String def, String meaning) {
        documented.put(key, new String[] {def == null ? "(required)" : def, meaning});
        String v = source.apply(key);
        return v == null || v.isBlank() ? null : v.trim();
    }

    public String string(String key, String def, String meaning) {
        String v = raw(key, def, meaning);
        if (v == null && def == null) {
            problems.add(key + " (" + envName(key) + ") is required: " + meaning);
        }
        return v == null ? def : v;
    }

    public String oneOf(String key, String def, Set<String> allowed, String meaning) {
        String v = string(key, def, meaning);
        if (v != null && !allowed.contains(v)) {
            problems.add(key + "=" + v + " is not one of " + allowed);
            return def;
        }
        return v;
    }

    public int intInRange(String key, int def, int min, int max, String meaning) {
        return inRange(key, def, min, max, meaning, Integer::parseInt, "an integer");
    }

    public long longInRange(String key, long def, long min, long max, String meaning) {
        return inRange(key, def, min, max, meaning, Long::parseLong, "an integer");
    }

    public double doubleInRange(String key, double def, double min, double max, String meaning) {
        return inRange(key, def, min, max, meaning, Double::parseDouble, "a number");
    }

    /** Parses a number in [min, max]; NaN and unparsable values are problems, and the default stands in. */
    private <T extends Comparable<T>> T inRange(String key, T def, T min, T max, String meaning,
            Function<String, T> parse, String kind) {
        String v = raw(key, def.toString(), meaning);
        if (v == null) {
            return def;
        }
        T x;
        try {
            x = parse.apply(v);
        } catch (NumberFormatException e) {
            problems.add(key + "=" + v + " is not " + kind);
            return def;
        }
        if (x.compareTo(min) < 0 || x.compareTo(max) > 0 || x instanceof Double d && d.isNaN()) {
            problems.add(key + "=" + v + " is outside " + min + ".." + max);
            return def;
        }
        return x;
    }

    public boolean bool(String key, boolean def, String meaning) {
        String v = raw(key, Boolean.toString(def), meaning);
        if (v == null) {
            return def;
        }
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(v);
        }
        problems.add(key + "=" + v + " is not true or false");
        return def;
    }

    /**
     * The value of {@code key}, or null when it is not set; {@code defaultText} says in {@link #describe()} what
     * stands in then (a default the caller works out, e.g. a folder it looks for).
     */
    public String optional(String key, String defaultText, String meaning) {
        return raw(key, defaultText, meaning);
    }

    public Path path(String key, String def, String meaning) {
        String v = string(key, def, meaning);
        return v == null ? null : Path.of(v);
    }

    /** Records a problem found by cross-field checks, so it is reported with the rest. */
    public void problem(String message) {
        problems.add(message);
    }

    public List<String> problems() {
        return Collections.unmodifiableList(problems);
    }

    public void validate() {
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    /** Markdown table (key | env | default | meaning) of every key read so far, for module READMEs. */
    public String describe() {
        StringBuilder b = new StringBuilder("| key | environment | default | meaning |\n|---|---|---|---|\n");
        documented.forEach((k, v) -> b.append("| `").append(k).append("` | `").append(envName(k)).append("` | `")
                .append(v[0]).append("` | ").append(v[1]).append(" |\n"));
        return b.toString();
    }
}
