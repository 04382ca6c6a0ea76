package org.hypnostream.ingest;

import java.util.Map;

/**
 * Counts of one gateway process since it started.
 *
 * @param beds      per bed id
 * @param outboxLag blocks journaled but not yet acknowledged by Kafka (blocks left from before a restart included)
 */
public record GatewayStats(Map<String, Bed> beds, long blocksJournaled, long blocksDelivered, long outboxLag) {
    public GatewayStats {
        beds = Map.copyOf(beds);
    }

    /**
     * @param blocksDelivered blocks acknowledged by Kafka (after a crash, blocks re-sent from the outbox count again)
     */
    public record Bed(long blocksJournaled, long blocksDelivered) {
    }
}
