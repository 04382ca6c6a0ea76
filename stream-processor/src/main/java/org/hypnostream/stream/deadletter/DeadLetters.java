package org.hypnostream.stream.deadletter;

import java.time.InstantSource;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.hypnostream.common.event.DeadLetter;
import org.hypnostream.common.topic.Topics;

/** Builds and encodes dead-letter records for {@code dead-letter.v1} with where the bad record came from. */
public final class DeadLetters {
    private final String component;
    private final InstantSource clock;

    public DeadLetters(String component, InstantSource clock) {
        this.component = component;
        this.clock = clock;
    }

    public DeadLetter of(RecordMetadata where, String key, String reason, byte[] payload) {
        String topic = where == null ? "?" : where.topic();
        int partition = where == null ? -1 : where.partition();
        long offset = where == null ? -1 : where.offset();
        return DeadLetter.of(component, topic, partition, offset, key, reason, payload, clock.instant());
    }

    public static byte[] encode(DeadLetter d) {
        return Topics.DEAD_LETTER.valueSerde().serializer().serialize(Topics.DEAD_LETTER.name(), d);
    }
}
