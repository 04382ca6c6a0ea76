package org.hypnostream.common.event;

import java.time.Instant;

/**
 * A record that could not be processed ({@code dead-letter.v1}): where it came from, why, and its bytes
 * (base64, truncated to 64 KiB) so an operator can inspect or replay it.
 */
public record DeadLetter(
        String component,
        String sourceTopic,
        int partition,
        long offset,
        String key,
        String reason,
        String payloadBase64,
        int payloadBytes,
        Instant at) {

    public static final int MAX_PAYLOAD_BYTES = 64 * 1024;

    public static DeadLetter of(String component, String topic, int partition, long offset, String key, String reason,
            byte[] payload, Instant at) {
        byte[] p = payload == null ? new byte[0] : payload;
        byte[] kept = p.length > MAX_PAYLOAD_BYTES ? java.util.Arrays.copyOf(p, MAX_PAYLOAD_BYTES) : p;
        return new DeadLetter(component, topic, partition, offset, key, reason,
                java.util.Base64.getEncoder().encodeToString(kept), p.length, at);
    }
}
