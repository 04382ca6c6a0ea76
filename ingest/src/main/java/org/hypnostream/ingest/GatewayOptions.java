package org.hypnostream.ingest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.hypnostream.common.config.ConfigException;
import org.hypnostream.common.config.ConfigReader;
import org.hypnostream.common.config.KafkaOverrides;
import org.hypnostream.ingest.outbox.Outbox;
import org.hypnostream.ingest.source.Pacing;

/**
 * Everything the gateway command reads from its configuration: the {@link GatewayConfig} plus which sources to
 * run, how many beds, and the metrics port. Keys (environment HYPNOSTREAM_&lt;KEY&gt;): see {@link #read}.
 *
 * @param source      "synthetic", "edf:&lt;path&gt;" or "wfdb:&lt;header path&gt;"
 * @param beds        number of beds (synthetic beds, or copies of the replayed recording)
 * @param metricsHost address the /metrics and /health endpoint binds (default 0.0.0.0; tests bind 127.0.0.1)
 * @param metricsPort port of /metrics (0 = any free port, -1 = none)
 */
public record GatewayOptions(GatewayConfig gateway, String source, int beds, String metricsHost, int metricsPort) {
    /** Default of {@code gateway.metrics.host}: every address, as the stream processor's {@code stream.metrics.host}. */
    public static final String DEFAULT_METRICS_HOST = "0.0.0.0";

    public GatewayOptions {
        java.util.Objects.requireNonNull(metricsHost, "metricsHost");
        if (!(source.equals("synthetic") || source.startsWith("edf:") || source.startsWith("wfdb:"))) {
            throw new IllegalArgumentException("gateway.source '" + source + "' must be synthetic, edf:<path> or wfdb:<path>");
        }
    }

    public static GatewayOptions fromEnvironment(Map<String, String> overrides) {
        ConfigReader r = ConfigReader.fromEnvironment(overrides);
        GatewayOptions o = read(r);
        r.validate();
        // kafka.* client settings (TLS, SASL, ...) reach the relay's and the alert producer
        GatewayConfig g = o.gateway();
        try {
            return new GatewayOptions(new GatewayConfig(g.gatewayId(), g.bootstrapServers(), g.outboxDir(), g.pacing(),
                    KafkaOverrides.fromEnvironment(overrides), g.outboxMinFreeBytes(),
                    g.outboxRollMinutes()), o.source(), o.beds(), o.metricsHost(), o.metricsPort());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(java.util.List.of(e.getMessage()));
        }
    }

    /** Reads every key into {@code r} (problems collected there); returns null when the reader has problems. */
    public static GatewayOptions read(ConfigReader r) {
        String id = r.string("gateway.id", "gateway-1", "gateway id: metric tag, Kafka client id, outbox owner");
        String bootstrap = r.string("kafka.bootstrap.servers", null, "Kafka bootstrap servers (host:port,...)");
        Path outbox = r.path("gateway.outbox.dir", "outbox/" + id, "outbox journal directory (one per gateway, persistent)");
        long minFree = r.longInRange("gateway.outbox.min.free.bytes", Outbox.DEFAULT_MIN_FREE_BYTES, 0, Long.MAX_VALUE,
                "below this much free disk space under the outbox, journal nothing: hold the pending block, pause the"
                        + " sources, raise OUTBOX_UNWRITABLE; resume when space is back");
        int roll = r.intInRange("gateway.outbox.roll.minutes", Outbox.DEFAULT_ROLL_MINUTES, 5, 1440,
                "minutes per outbox cycle file (" + Outbox.ROLL_MINUTES_CHOICES + "); a cycle is deleted once wholly"
                        + " delivered, so the outbox holds about 1-2 cycles of data while Kafka is up");
        String speed = r.string("gateway.speed", "1", "replay/synthetic pacing: 1 = real time, N = N x real time, max = as fast as possible");
        String source = r.string("gateway.source", "synthetic", "synthetic | edf:<path> | wfdb:<path to .hea>");
        int beds = r.intInRange("gateway.beds", 1, 1, 10_000, "number of beds (synthetic beds or copies of the recording)");
        int port = r.intInRange("gateway.metrics.port", 9101, -1, 65_535, "port of /metrics (0 = any free port, -1 = off)");
        String host = r.string("gateway.metrics.host", DEFAULT_METRICS_HOST, "address of the /metrics endpoint");
        Pacing pacing = null;
        try {
            pacing = Pacing.parse(speed);
        } catch (IllegalArgumentException e) {
            r.problem("gateway.speed=" + speed + " is not a positive number or 'max'");
        }
        if (source != null && !(source.equals("synthetic") || source.startsWith("edf:") || source.startsWith("wfdb:"))) {
            r.problem("gateway.source=" + source + " is not synthetic, edf:<path> or wfdb:<path>");
        } else if (source != null && !source.equals("synthetic") && !Files.isRegularFile(Path.of(source.substring(source.indexOf(':') + 1)))) {
            r.problem("gateway.source=" + source + ": no such file");
        }
        if (!r.problems().isEmpty()) {
            return null;
        }
        try {
            return new GatewayOptions(new GatewayConfig(id, bootstrap, outbox, pacing, new HashMap<>(), minFree, roll), source, beds,
                    host, port);
        } catch (IllegalArgumentException e) {
            r.problem(e.getMessage());
            return null;
        }
    }

    /** The README table of the gateway's keys. */
    public static String describe() {
        ConfigReader r = ConfigReader.of(Map.of());
        read(r);
        return r.describe();
    }
}
