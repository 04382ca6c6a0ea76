package org.hypnostream.app;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Options every service subcommand shares: configuration comes from environment variables
 * ({@code HYPNOSTREAM_<KEY>}, documented in each module README), overridden by {@code --set key=value}.
 */
final class ServiceOptions {
    @Option(names = "--bootstrap", description = "Kafka bootstrap servers (kafka.bootstrap.servers).")
    String bootstrap;

    @Option(names = "--set", description = "Override one configuration key, e.g. --set gateway.beds=8 (repeatable).")
    Map<String, String> settings = new LinkedHashMap<>();

    Map<String, String> overrides() {
        Map<String, String> o = new LinkedHashMap<>(settings);
        if (bootstrap != null) {
            o.put("kafka.bootstrap.servers", bootstrap);
        }
        return o;
    }
}
