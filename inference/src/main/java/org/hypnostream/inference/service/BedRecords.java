package org.hypnostream.inference.service;

import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.hypnostream.common.topic.Topic;

/** Decoding one bed-keyed input record of a lane: the same checks and messages for every lane. */
final class BedRecords {
    private BedRecords() {
    }

    /**
     * The record's value; throws {@link IllegalArgumentException} for a tombstone or a key that is not the value's
     * bed ("key K does not match {@code what}bed B"; {@code what} is empty or ends with a space).
     */
    static <V> V decode(Topic<String, V> topic, ConsumerRecord<String, byte[]> r, Function<V, String> bedOf, String what) {
        V value = topic.valueSerde().deserializer().deserialize(r.topic(), r.value());
        if (value == null) {
            throw new IllegalArgumentException("empty record (tombstone)");
        }
        String bed = bedOf.apply(value);
        if (r.key() != null && !r.key().equals(bed)) {
            throw new IllegalArgumentException("key " + r.key() + " does not match " + what + "bed " + bed);
        }
        return value;
    }
}
