package org.hypnostream.inference.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.hypnostream.common.topic.Topic;

/**
 * The scaffolding of a lane that handles its input one record at a time (leg windows, EMG segments): decoding, the
 * key check, dead letters for what cannot be decoded or used, rebuild as scoring without output, and forgetting beds
 * by partition. A subclass says what one decoded record yields.
 *
 * @param <I> the decoded input value
 */
abstract class RecordLane<I> implements Lane {
    private final String name;
    private final Topic<String, I> input;
    private final String what;
    private final Tags tags;
    private final Counter deadLetters;
    private Instant now = Instant.EPOCH;
    private boolean rebuilding;

    /**
     * @param what the input named in dead-letter reasons, e.g. "leg window"
     */
    RecordLane(String name, Topic<String, I> input, String what, Tags tags, MeterRegistry registry) {
        this.name = name;
        this.input = input;
        this.what = what;
        this.tags = tags;
        this.deadLetters = Counter.builder("hypnostream.inference.events").tags(tags).tag("outcome", "dead_letter")
                .register(registry);
    }

    /** The bed a decoded value belongs to (must equal the record key when there is one). */
    protected abstract String bedOf(I value);

    /**
     * Advances the bed's state with one value read from {@code partition}; returns the records to produce, which the
     * caller drops when rebuilding. An exception dead-letters the input record.
     */
    protected abstract List<ProducerRecord<String, byte[]>> apply(I value, int partition);

    /** Forgets the state of beds last seen on these input partitions. */
    protected abstract void forgetPartitions(Set<Integer> partitions);

    /** The time of the batch being scored; {@link Instant#EPOCH} while rebuilding. */
    protected final Instant now() {
        return now;
    }

    /** True while folding history after a restart: what {@link #apply} returns is dropped, so count nothing. */
    protected final boolean rebuilding() {
        return rebuilding;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String inputTopic() {
        return input.name();
    }

    @Override
    public final Tags tags() {
        return tags;
    }

    @Override
    public final List<Scored> score(List<ConsumerRecord<String, byte[]>> batch, Instant batchTime) {
        this.now = batchTime;
        this.rebuilding = false;
        List<Scored> out = new ArrayList<>(batch.size());
        for (ConsumerRecord<String, byte[]> r : batch) {
            out.add(process(r, true));
        }
        return out;
    }

    @Override
    public final void rebuild(List<ConsumerRecord<String, byte[]>> history) {
        this.now = Instant.EPOCH;
        this.rebuilding = true;
        try {
            for (ConsumerRecord<String, byte[]> r : history) {
                process(r, false);
            }
        } finally {
            this.rebuilding = false;
        }
    }

    @Override
    public final void forget(Collection<TopicPartition> partitions) {
        Set<Integer> gone = new HashSet<>();
        partitions.stream().filter(tp -> tp.topic().equals(inputTopic())).forEach(tp -> gone.add(tp.partition()));
        forgetPartitions(gone);
    }

    /** The serialised record of one output event on {@code topic}, keyed by bed. */
    protected static <V> ProducerRecord<String, byte[]> record(Topic<String, V> topic, String bedId, V event) {
        return new ProducerRecord<>(topic.name(), bedId, topic.valueSerde().serializer().serialize(topic.name(), event));
    }

    private Scored process(ConsumerRecord<String, byte[]> r, boolean emit) {
        List<ProducerRecord<String, byte[]>> records;
        try {
            I value = BedRecords.decode(input, r, this::bedOf, what + " ");
            records = apply(value, r.partition());
        } catch (RuntimeException e) {
            if (!emit) {
                return new Scored(new TopicPartition(r.topic(), r.partition()), r.offset(), List.of());
            }
            deadLetters.increment();
            return Scored.deadLetter(r, "unusable " + what + ": " + e.getMessage(), now);
        }
        return new Scored(new TopicPartition(r.topic(), r.partition()), r.offset(), emit ? records : List.of());
    }
}
