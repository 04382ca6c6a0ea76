package org.hypnostream.common.topic;

import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/** A topic name with its key and value serdes; the only place a topic name is spelled is {@link Topics}. */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, boolean compacted) {
    public Topic {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(keySerde, "keySerde");
        Objects.requireNonNull(valueSerde, "valueSerde");
    }
}
