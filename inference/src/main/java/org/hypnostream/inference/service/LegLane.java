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
import org.hypnostream.common.event.LegMovementEvent;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.common.wire.LegWindow;
import org.hypnostream.inference.leg.LegMovementDetector;

/**
 * leg-windows -> leg-events: the rule-based leg-movement detector served like a model (its rule-set id stands in
 * for a model sha256). The detector's per-bed state stitches movements across overlapping windows, so each
 * movement is emitted once, when its offset is known. Channel problems (flat, disconnected, saturated) are alarmed
 * by the PLM topology from the windows' quality flags, not here, so a problem is alarmed once.
 */
public final class LegLane implements Lane {

    private static final class Bed {
        LegMovementDetector.State state;
        long sessionStartMicros;
        int partition;
    }

    private final LegMovementDetector detector;
    private final Map<String, Bed> beds = new HashMap<>();
    private final Tags tags;
    private final Timer latency;
    private final Counter movements;
    private final Counter deadLetters;

    public LegLane(LegMovementDetector detector, MeterRegistry registry) {
        this.detector = detector;
        this.tags = Tags.of("lane", "leg", "model", detector.provenance().ruleSetId(), "provider", "RULES");
        this.latency = Timer.builder("hypnostream.inference.latency").tags(tags)
                .description("movement offset (device time) to event produced").publishPercentileHistogram()
                .register(registry);
        this.movements = Counter.builder("hypnostream.inference.events").tags(tags).tag("outcome", "leg_movement")
                .register(registry);
        this.deadLetters = Counter.builder("hypnostream.inference.events").tags(tags).tag("outcome", "dead_letter")
                .register(registry);
    }

    @Override
    public String name() {
        return "leg";
    }

    @Override
    public String inputTopic() {
        return Topics.LEG_WINDOWS.name();
    }

    @Override
    public Tags tags() {
        return tags;
    }

    @Override
    public List<Scored> score(List<ConsumerRecord<String, byte[]>> batch, Instant now) {
        List<Scored> out = new ArrayList<>(batch.size());
        for (ConsumerRecord<String, byte[]> r : batch) {
            out.add(process(r, now, true));
        }
        return out;
    }

    @Override
    public void rebuild(List<ConsumerRecord<String, byte[]>> history) {
        for (ConsumerRecord<String, byte[]> r : history) {
            process(r, Instant.EPOCH, false);
        }
    }

    @Override
    public void forget(Collection<TopicPartition> partitions) {
        Set<Integer> gone = new HashSet<>();
        partitions.stream().filter(tp -> tp.topic().equals(inputTopic())).forEach(tp -> gone.add(tp.partition()));
        beds.values().removeIf(b -> gone.contains(b.partition));
    }

    private Scored process(ConsumerRecord<String, byte[]> r, Instant now, boolean emit) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        LegWindow w;
        try {
            w = Topics.LEG_WINDOWS.valueSerde().deserializer().deserialize(r.topic(), r.value());
            if (w == null) {
                throw new IllegalArgumentException("empty record (tombstone)");
            }
            if (r.key() != null && !r.key().equals(w.bedId())) {
                throw new IllegalArgumentException("key " + r.key() + " does not match window bed " + w.bedId());
            }
        } catch (RuntimeException e) {
            if (!emit) {
                return new Scored(tp, r.offset(), List.of());
            }
            deadLetters.increment();
            return Scored.deadLetter(r, "undecodable leg window: " + e.getMessage(), now);
        }
        Bed bed = beds.get(w.bedId());
        if (bed == null || bed.sessionStartMicros != w.sessionStartMicros()) {
            bed = new Bed();
            bed.state = detector.newState();
            bed.sessionStartMicros = w.sessionStartMicros();
            beds.put(w.bedId(), bed);
        }
        bed.partition = r.partition();
        List<LegMovementEvent> found = detector.process(bed.state, w, now);
        if (!emit || found.isEmpty()) {
            return new Scored(tp, r.offset(), List.of());
        }
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(found.size());
        for (LegMovementEvent ev : found) {
            records.add(new ProducerRecord<>(Topics.LEG_EVENTS.name(), ev.bedId(),
                    Topics.LEG_EVENTS.valueSerde().serializer().serialize(Topics.LEG_EVENTS.name(), ev)));
            movements.increment();
            latency.record(Duration.ofMillis(Math.max(0, ev.latencyMillis())));
        }
        return new Scored(tp, r.offset(), records);
    }
}
