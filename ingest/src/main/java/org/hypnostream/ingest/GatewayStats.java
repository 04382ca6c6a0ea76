package org.hypnostream.ingest;

import java.util.Map;

/**
 * Counts of one gateway process since it started.
 *
 * @param beds      per bed id
 * @param outboxLag      blocks journaled but not yet acknowledged by Kafka (blocks left from before a restart included)
 * @param outboxRefusals appends the outbox refused (disk below the free-space minimum, unwritable); each retry of the
 *                       held block counts again; nothing refused is dropped
 */
public record GatewayStats(Map<String, Bed> beds, long blocksJournaled, long blocksDelivered, long outboxLag,
                           long outboxRefusals) {
    public GatewayStats {
        beds = Map.copyOf(beds);
    }

    /**
     * @param blocksDelivered blocks acknowledged by Kafka (after a crash, blocks re-sent from the outbox count again)
     */
    public record Bed(long blocksJournaled, long blocksDelivered) {
    }
}
