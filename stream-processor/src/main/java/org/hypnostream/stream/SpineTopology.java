package org.hypnostream.stream;

import java.time.InstantSource;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;
import org.hypnostream.common.topic.Topics;

/**
 * The spine: {@code samples.v1} (read as bytes) to {@code eeg-epochs.v1}, {@code leg-windows.v1},
 * {@code emg-segments.v1} and {@code dead-letter.v1}. One processor per bed key keeps the bed's assembler state
 * in one persistent store of per-bed heads (plus three of an older layout, read after an upgrade)
 * and one of sample chunks; a record that cannot be processed for any reason becomes a dead letter.
 */
public final class SpineTopology {
    public static final String SOURCE = "spine-samples";
    public static final String PROCESSOR = "spine-assembler";
    public static final String EPOCHS_SINK = "spine-epochs-sink";
    public static final String LEGS_SINK = "spine-leg-windows-sink";
    public static final String EMG_SINK = "spine-emg-segments-sink";
    public static final String DEAD_LETTER_SINK = "spine-dead-letter-sink";

    /**
     * Persistent per-bed state stores, in {@link BedSpine} part order; a renamed store is a migration. The first,
     * {@code spine-sources} (its name kept), holds each bed's one head (docs/adr/0026-spine-chunk-ring-and-one-head-per-bed.md);
     * the other three hold ADR 0017's per-part heads, are only read after an upgrade and emptied bed by bed by the
     * first save after it.
     */
    public static final List<String> STORES =
            List.of("spine-sources", "spine-epoch-state", "spine-leg-state", "spine-emg-state");
    /**
     * The open windows' samples as 256-sample chunks in a bounded ring of keys per channel,
     * {@code <bed length>:<bed>/<track>@<slot>} with slot = chunk index mod ring size, each written once when full and
     * overwritten in place by a later chunk (docs/adr/0026-spine-chunk-ring-and-one-head-per-bed.md).
     */
    public static final String CHUNK_STORE = "spine-chunks";

    private SpineTopology() {
    }

    public static Topology build(SpineConfig config) {
        return build(config, SpineMetrics.NONE, InstantSource.system());
    }

    public static Topology build(SpineConfig config, SpineMetrics metrics, InstantSource clock) {
        Topology t = new Topology();
        t.addSource(SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), Topics.SAMPLES.name());
        t.addProcessor(PROCESSOR, () -> new SpineBlockHandler(config, metrics, clock), SOURCE);
        for (String store : STORES) {
            // cached: a bed's head written several times within one commit interval (a catch-up: many blocks per bed
            // per 50 ms) reaches RocksDB and the changelog once, at the commit, not once per block
            t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(store), Serdes.String(),
                    Serdes.ByteArray()).withCachingEnabled(), PROCESSOR);
        }
        // cached too: a ring slot overwritten within one commit interval (a fast catch-up) reaches the changelog once
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(CHUNK_STORE), Serdes.String(),
                Serdes.ByteArray()).withCachingEnabled(), PROCESSOR);
        t.addSink(EPOCHS_SINK, Topics.EEG_EPOCHS.name(), Serdes.String().serializer(), Serdes.ByteArray().serializer(), PROCESSOR);
        t.addSink(LEGS_SINK, Topics.LEG_WINDOWS.name(), Serdes.String().serializer(), Serdes.ByteArray().serializer(), PROCESSOR);
        t.addSink(EMG_SINK, Topics.EMG_SEGMENTS.name(), Serdes.String().serializer(), Serdes.ByteArray().serializer(), PROCESSOR);
        t.addSink(DEAD_LETTER_SINK, Topics.DEAD_LETTER.name(), Serdes.String().serializer(), Serdes.ByteArray().serializer(),
                PROCESSOR);
        return t;
    }
}
