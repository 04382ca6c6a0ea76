package org.hypnostream.ingest;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.hypnostream.ingest.outbox.Outbox;
import org.hypnostream.ingest.source.Pacing;

/**
 * What one gateway needs: its id (used in metric tags, the relay's client id and alerts), the Kafka bootstrap
 * servers, its own outbox directory, the pacing of replay/synthetic sources and extra producer settings.
 *
 * @param kafkaOverrides     producer properties applied over the defaults (idempotence and acks=all cannot be lowered)
 * @param outboxMinFreeBytes below this much usable disk space under the outbox the gateway journals nothing more (it
 *                           holds the pending block, stops reading its sources, counts the refusal and raises
 *                           OUTBOX_UNWRITABLE) until space is back; Chronicle maps its files, so a truly full disk
 *                           must never be reached
 * @param outboxRollMinutes  minutes of the gateway's clock per outbox cycle file ({@link Outbox#ROLL_MINUTES_CHOICES});
 *                           a cycle file is deleted once wholly relayed, so the outbox holds about one to two
 *                           cycles of data while Kafka keeps up
 */
public record GatewayConfig(String gatewayId, String bootstrapServers, Path outboxDir, Pacing pacing,
                            Map<String, String> kafkaOverrides, long outboxMinFreeBytes, int outboxRollMinutes) {
    /** Hourly outbox cycles ({@link Outbox#DEFAULT_ROLL_MINUTES}). */
    public GatewayConfig(String gatewayId, String bootstrapServers, Path outboxDir, Pacing pacing,
                         Map<String, String> kafkaOverrides, long outboxMinFreeBytes) {
        this(gatewayId, bootstrapServers, outboxDir, pacing, kafkaOverrides, outboxMinFreeBytes, Outbox.DEFAULT_ROLL_MINUTES);
    }

    /** With the default free-space minimum ({@link Outbox#DEFAULT_MIN_FREE_BYTES}). */
    public GatewayConfig(String gatewayId, String bootstrapServers, Path outboxDir, Pacing pacing,
                         Map<String, String> kafkaOverrides) {
        this(gatewayId, bootstrapServers, outboxDir, pacing, kafkaOverrides, Outbox.DEFAULT_MIN_FREE_BYTES);
    }

    public GatewayConfig {
        Objects.requireNonNull(gatewayId, "gatewayId");
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(outboxDir, "outboxDir");
        Objects.requireNonNull(pacing, "pacing");
        kafkaOverrides = kafkaOverrides == null ? Map.of() : Map.copyOf(kafkaOverrides);
        if (!gatewayId.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("gateway id '" + gatewayId + "' must be 1-64 letters, digits, '.', '_' or '-'");
        }
        if (outboxMinFreeBytes < 0) {
            throw new IllegalArgumentException("gateway " + gatewayId + ": outbox minimum free bytes " + outboxMinFreeBytes
                    + " is negative");
        }
        Outbox.rollCycle(outboxRollMinutes); // refuses unsupported cycle lengths
        if (bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("gateway " + gatewayId + ": kafka bootstrap servers are empty");
        }
        String idem = kafkaOverrides.get("enable.idempotence");
        String acks = kafkaOverrides.get("acks");
        if ((idem != null && !idem.equals("true")) || (acks != null && !acks.equals("all") && !acks.equals("-1"))) {
            throw new IllegalArgumentException("gateway " + gatewayId + ": enable.idempotence=true and acks=all are required"
                    + " for lossless delivery; overrides " + kafkaOverrides + " would weaken them");
        }
    }

    /** Reads the gateway keys (see {@link GatewayOptions}) from the environment, system properties and overrides. */
    public static GatewayConfig fromEnvironment(Map<String, String> overrides) {
        return GatewayOptions.fromEnvironment(overrides).gateway();
    }
}
