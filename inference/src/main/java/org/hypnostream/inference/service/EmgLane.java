package org.hypnostream.inference.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.hypnostream.common.event.NeuromuscularEvent;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.common.wire.EmgSegment;
import org.hypnostream.inference.emg.EmgScreeningModel;
import org.hypnostream.inference.emg.EmgSegmentScreening;

/**
 * emg-segments -> neuromuscular-events: the needle-EMG screening model served like the stager. Each scored segment
 * yields a WINDOW event (its probabilities) and a RECORDING event (the running per-recording verdict, final on the
 * recording's last segment; a closing segment that cannot be scored yields only the final RECORDING event). A
 * segment that cannot be decoded or scored is dead-lettered. The per-recording state (sums of window probabilities)
 * is rebuilt after a restart by scoring the history again, so a restart gives the same events.
 */
public final class EmgLane implements Lane {

    private final EmgSegmentScreening screening;
    /** The time of the batch being scored: the screening's clock. */
    private Instant now = Instant.EPOCH;
    private final Map<String, Integer> bedPartitions = new HashMap<>();
    private final Tags tags;
    private final Timer latency;
    private final Counter windows;
    private final Counter finals;
    private final Counter deadLetters;

    public EmgLane(EmgScreeningModel model, MeterRegistry registry) {
        this.screening = new EmgSegmentScreening(model, () -> now);
        this.tags = Tags.of("lane", "emg", "model", model.id(), "provider", model.provider());
        this.latency = Timer.builder("hypnostream.inference.latency").tags(tags)
                .description("last block received to event produced").publishPercentileHistogram().register(registry);
        this.windows = Counter.builder("hypnostream.inference.events").tags(tags).tag("outcome", "emg_window")
                .register(registry);
        this.finals = Counter.builder("hypnostream.inference.events").tags(tags).tag("outcome", "emg_final_verdict")
                .register(registry);
        this.deadLetters = Counter.builder("hypnostream.inference.events").tags(tags).tag("outcome", "dead_letter")
                .register(registry);
    }

    @Override
    public String name() {
        return "emg";
    }

    @Override
    public String inputTopic() {
        return Topics.EMG_SEGMENTS.name();
    }

    @Override
    public Tags tags() {
        return tags;
    }

    @Override
    public List<Scored> score(List<ConsumerRecord<String, byte[]>> batch, Instant now) {
        this.now = now;
        List<Scored> out = new ArrayList<>(batch.size());
        for (ConsumerRecord<String, byte[]> r : batch) {
            out.add(process(r, now, true));
        }
        return out;
    }

    @Override
    public void rebuild(List<ConsumerRecord<String, byte[]>> history) {
        this.now = Instant.EPOCH;
        for (ConsumerRecord<String, byte[]> r : history) {
            process(r, Instant.EPOCH, false);
        }
    }

    @Override
    public void forget(Collection<TopicPartition> partitions) {
        Set<Integer> gone = new HashSet<>();
        partitions.stream().filter(tp -> tp.topic().equals(inputTopic())).forEach(tp -> gone.add(tp.partition()));
        bedPartitions.entrySet().removeIf(e -> {
            if (gone.contains(e.getValue())) {
                screening.forgetBed(e.getKey());
                return true;
            }
            return false;
        });
    }

    /** Recordings with segments scored but no last segment yet. */
    public int openRecordings() {
        return screening.openRecordings();
    }

    private Scored process(ConsumerRecord<String, byte[]> r, Instant now, boolean emit) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        List<NeuromuscularEvent> events;
        try {
            EmgSegment s = Topics.EMG_SEGMENTS.valueSerde().deserializer().deserialize(r.topic(), r.value());
            if (s == null) {
                throw new IllegalArgumentException("empty record (tombstone)");
            }
            if (r.key() != null && !r.key().equals(s.bedId())) {
                throw new IllegalArgumentException("key " + r.key() + " does not match segment bed " + s.bedId());
            }
            bedPartitions.put(s.bedId(), r.partition());
            events = screening.onSegment(s);
        } catch (RuntimeException e) {
            if (!emit) {
                return new Scored(tp, r.offset(), List.of());
            }
            deadLetters.increment();
            return Scored.deadLetter(r, "unusable EMG segment: " + e.getMessage(), now);
        }
        if (!emit) {
            return new Scored(tp, r.offset(), List.of());
        }
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(events.size());
        for (NeuromuscularEvent ev : events) {
            records.add(new ProducerRecord<>(Topics.NEUROMUSCULAR_EVENTS.name(), ev.bedId(),
                    Topics.NEUROMUSCULAR_EVENTS.valueSerde().serializer().serialize(Topics.NEUROMUSCULAR_EVENTS.name(), ev)));
            if (EmgSegmentScreening.KIND_WINDOW.equals(ev.kind())) {
                windows.increment();
            } else {
                latency.record(Duration.ofMillis(ev.latencyMillis()));
                if (ev.isFinal()) {
                    finals.increment();
                }
            }
        }
        return new Scored(tp, r.offset(), records);
    }
}
