package org.hypnostream.inference.service;

import java.util.List;
import org.hypnostream.common.wire.Epoch;

/** Where the morning re-score finds a bed's night of epochs (the Kafka one: {@link KafkaNightSource}). */
public interface NightSource {
    /**
     * Every committed epoch of the bed starting in [{@code night.from()}, {@code night.until()}) ({@code from} null:
     * from the start of the data), in any order, duplicates allowed.
     */
    List<Epoch> epochs(RescoreTrigger.Night night);
}
