package org.hypnostream.stream;

import java.io.IOException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.common.wire.BlockFormatException;
import org.hypnostream.common.wire.EmgSegment;
import org.hypnostream.common.wire.Epoch;
import org.hypnostream.common.wire.LegWindow;
import org.hypnostream.common.wire.SampleBlock;
import org.hypnostream.common.wire.SampleBlockCodec;
import org.hypnostream.stream.deadletter.DeadLetters;
import org.hypnostream.stream.signal.StateWrites;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes one {@code samples.v1} record: decode, load the bed's {@link BedSpine} from the stores, apply, forward
 * the windows, save the bed's head and the sample chunks that became full (ADR 0026). Any failure becomes a dead letter with topic/partition/offset; the
 * bed's state is then left as it was before the record. A wall-clock punctuator closes needle-EMG recordings that
 * have been idle for {@link SpineConfig#emgCloseIdleMillis()} (their closing segment is {@code last}); it waits that
 * long after the task (re)starts, so a restarted processor first catches up with the backlog. Under exactly-once every
 * punctuation commits a transaction, even an empty one, so the punctuator is scheduled only while the task has an
 * open needle-EMG recording: when a block opens one, or at (re)initialisation when the stores hold one; it cancels
 * itself when none is left.
 */
final class SpineBlockHandler implements Processor<String, byte[], String, byte[]> {
    private static final Logger LOG = LoggerFactory.getLogger(SpineBlockHandler.class);
    private static final int MAX_CACHED_BEDS = 1024;

    private final SpineConfig config;
    private final SpineMetrics metrics;
    private final DeadLetters deadLetters;
    private ProcessorContext<String, byte[]> context;
    private long initWallMillis;
    /** The idle-recording punctuator while it is scheduled, else null. */
    private Cancellable idleCloser;
    private final List<KeyValueStore<String, byte[]>> stores = new ArrayList<>();
    private KeyValueStore<String, byte[]> chunks;
    /**
     * Decoded beds of this task, so that a block does not decode the bed's state again. The stores stay the
     * truth: a bed is evicted when applying a block fails, and the cache is dropped whenever the task is
     * (re)initialised, e.g. after an aborted transaction.
     */
    private final Map<String, BedSpine> beds = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, BedSpine> eldest) {
            return size() > MAX_CACHED_BEDS;
        }
    };

    SpineBlockHandler(SpineConfig config, SpineMetrics metrics, InstantSource clock) {
        this.config = config;
        this.metrics = metrics;
        this.deadLetters = new DeadLetters("stream-processor/spine", clock);
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        beds.clear();
        stores.clear();
        for (String name : SpineTopology.STORES) {
            stores.add(context.getStateStore(name));
        }
        chunks = context.getStateStore(SpineTopology.CHUNK_STORE);
        initWallMillis = context.currentSystemTimeMs();
        idleCloser = null;
        if (config.emgCloseIdleMillis() > 0 && storesHoldAnOpenRecording()) {
            scheduleIdleCloser();
        }
    }

    private boolean storesHoldAnOpenRecording() {
        return !bedsWithOpenRecordings().isEmpty();
    }

    /**
     * Beds whose stored state may hold an open needle-EMG recording: from the head store, and from the older layout's
     * EMG store for beds not saved since the upgrade (ADR 0026); headers only.
     */
    private java.util.Set<String> bedsWithOpenRecordings() {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        try (KeyValueIterator<String, byte[]> it = stores.get(BedSpine.SOURCES).all()) {
            while (it.hasNext()) {
                var kv = it.next();
                if (hasOpenRecording(kv.value, null)) {
                    out.add(kv.key);
                }
            }
        }
        try (KeyValueIterator<String, byte[]> it = stores.get(BedSpine.EMG).all()) {
            while (it.hasNext()) {
                var kv = it.next();
                if (hasOpenRecording(stores.get(BedSpine.SOURCES).get(kv.key), kv.value)) {
                    out.add(kv.key);
                }
            }
        }
        return out;
    }

    private void scheduleIdleCloser() {
        if (idleCloser == null) {
            long every = Math.max(100, Math.min(1000, config.emgCloseIdleMillis() / 4));
            idleCloser = context.schedule(Duration.ofMillis(every), PunctuationType.WALL_CLOCK_TIME,
                    this::closeIdleRecordings);
        }
    }

    /** Punctuator: emits the closing segment of every needle-EMG recording idle for the configured time. */
    private void closeIdleRecordings(long wallMillis) {
        metrics.emgIdleCheck();
        long idle = config.emgCloseIdleMillis();
        if (wallMillis - initWallMillis < idle) {
            return;
        }
        java.util.Set<String> withOpen = bedsWithOpenRecordings();
        for (Map.Entry<String, BedSpine> e : beds.entrySet()) {
            if (e.getValue().openEmgRecordings() > 0) {
                withOpen.add(e.getKey());
            }
        }
        List<String> candidates = new ArrayList<>(withOpen);
        boolean open = false;
        for (String bed : candidates) {
            try {
                BedSpine spine = load(bed, null);
                if (spine == null) {
                    continue;
                }
                List<EmgSegment> closing = spine.closeIdleEmg(wallMillis * 1000, idle * 1000);
                open |= spine.openEmgRecordings() > 0;
                if (closing.isEmpty()) {
                    continue;
                }
                StateWrites writes = spine.changes();
                for (EmgSegment s : closing) {
                    LOG.info("bed {}: EMG recording {} idle for {} ms, closed with segment {} (last)", bed, s.recordingId(),
                            idle, s.index());
                    context.forward(new Record<>(bed, Topics.EMG_SEGMENTS.valueSerde().serializer()
                            .serialize(Topics.EMG_SEGMENTS.name(), s), wallMillis), SpineTopology.EMG_SINK);
                }
                store(bed, writes);
                metrics.emgSegments(closing.size());
            } catch (RuntimeException e) {
                beds.remove(bed);
                open = true; // try again at the next run
                LOG.warn("bed {}: closing idle EMG recordings failed: {}", bed, e.toString());
            }
        }
        if (!open && idleCloser != null) {
            idleCloser.cancel();
            idleCloser = null;
        }
    }

    private boolean hasOpenRecording(byte[] head, byte[] legacyEmgState) {
        if (head == null && legacyEmgState == null) {
            return false;
        }
        try {
            return BedSpine.openEmgRecordings(head, legacyEmgState) > 0;
        } catch (IOException | RuntimeException e) {
            return true; // let the bed restore decide (it logs and starts the part afresh)
        }
    }

    /** The bed's spine from the cache or the stores; a new one for {@code first} when none is stored (null: none). */
    private BedSpine load(String bed, SampleBlock first) {
        BedSpine spine = beds.get(bed);
        if (spine == null) {
            byte[][] parts = new byte[stores.size()][];
            for (int i = 0; i < stores.size(); i++) {
                parts[i] = stores.get(i).get(bed);
            }
            spine = BedSpine.restore(bed, config, parts, chunks::get);
            if (spine == null && first != null) {
                spine = new BedSpine(bed, first.sessionStartMicros(), config);
            }
            if (spine != null) {
                beds.put(bed, spine);
            }
        }
        return spine;
    }

    @Override
    public void process(Record<String, byte[]> record) {
        RecordMetadata where = context.recordMetadata().orElse(null);
        String key = record.key();
        byte[] value = record.value();
        if (value == null) {
            deadLetter(record, where, "null", "samples record with key " + key + " has no value");
            return;
        }
        SampleBlock block;
        try {
            block = SampleBlockCodec.decode(value);
        } catch (BlockFormatException e) {
            deadLetter(record, where, "decode", e.getMessage());
            return;
        }
        if (key != null && !key.equals(block.bedId())) {
            deadLetter(record, where, "key", "block " + block.seq() + " from " + block.sourceId() + " of bed "
                    + block.bedId() + " was keyed " + key + " (wrong partitioning)");
            return;
        }
        try {
            apply(record, where, block);
        } catch (RuntimeException e) {
            beds.remove(block.bedId());
            deadLetter(record, where, "error", "block " + block.seq() + " from " + block.sourceId() + " of bed "
                    + block.bedId() + ": " + e);
        }
    }

    private void apply(Record<String, byte[]> record, RecordMetadata where, SampleBlock block) {
        String bed = block.bedId();
        BedSpine spine = load(bed, block);
        SpineResult r = spine.accept(block, context.currentSystemTimeMs() * 1000);
        long ts = record.timestamp();
        List<Record<String, byte[]>> out = new ArrayList<>();
        List<String> sinks = new ArrayList<>();
        for (Epoch e : r.epochs()) {
            out.add(new Record<>(bed, Topics.EEG_EPOCHS.valueSerde().serializer().serialize(Topics.EEG_EPOCHS.name(), e), ts));
            sinks.add(SpineTopology.EPOCHS_SINK);
        }
        for (LegWindow l : r.legWindows()) {
            out.add(new Record<>(bed, Topics.LEG_WINDOWS.valueSerde().serializer().serialize(Topics.LEG_WINDOWS.name(), l), ts));
            sinks.add(SpineTopology.LEGS_SINK);
        }
        for (EmgSegment s : r.segments()) {
            out.add(new Record<>(bed, Topics.EMG_SEGMENTS.valueSerde().serializer().serialize(Topics.EMG_SEGMENTS.name(), s), ts));
            sinks.add(SpineTopology.EMG_SINK);
        }
        StateWrites writes = spine.changes();
        // everything that can fail has run; now publish and save together (one transaction under exactly-once)
        for (int i = 0; i < out.size(); i++) {
            context.forward(out.get(i), sinks.get(i));
        }
        store(bed, writes);
        if (config.emgCloseIdleMillis() > 0 && spine.openEmgRecordings() > 0) {
            scheduleIdleCloser();
        }
        metrics.epochs(r.epochs().size());
        metrics.legWindows(r.legWindows().size());
        metrics.emgSegments(r.segments().size());
        if (r.duplicate()) {
            metrics.duplicate();
            LOG.debug("bed {}: dropped duplicate block {} from {}", bed, block.seq(), block.sourceId());
        }
        if (r.rejection() != null) {
            deadLetter(record, where, r.rejection().reasonCode(), r.rejection().message());
        }
    }

    /**
     * Stores a bed's writes: its head (and the deletes of the older layout's part values), then chunk puts and
     * deletes; then tells the spine they are stored.
     */
    private void store(String bed, StateWrites writes) {
        for (int i = 0; i < writes.partCount(); i++) {
            byte[] head = writes.part(i);
            if (head != null) {
                stores.get(i).put(bed, head);
            } else if (writes.deleted(i)) {
                stores.get(i).delete(bed);
            }
        }
        for (Map.Entry<String, byte[]> c : writes.chunks().entrySet()) {
            if (c.getValue() == null) {
                chunks.delete(c.getKey());
            } else {
                chunks.put(c.getKey(), c.getValue());
            }
        }
        writes.applied();
    }

    private void deadLetter(Record<String, byte[]> record, RecordMetadata where, String code, String reason) {
        if (where != null) {
            LOG.warn("dead-lettering {}-{}@{}: {}", where.topic(), where.partition(), where.offset(), reason);
        } else {
            LOG.warn("dead-lettering a record: {}", reason);
        }
        byte[] dl = DeadLetters.encode(deadLetters.of(where, record.key(), reason, record.value()));
        context.forward(new Record<>(record.key(), dl, record.timestamp()), SpineTopology.DEAD_LETTER_SINK);
        metrics.deadLetter(code);
    }
}
