package org.hypnostream.inference.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;
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
public final class LegLane extends RecordLane<LegWindow> {

    private static final class Bed {
        LegMovementDetector.State state;
        long sessionStartMicros;
        int partition;
    }

    private final LegMovementDetector detector;
    private final Map<String, Bed> beds = new HashMap<>();
    private final Timer latency;
    private final Counter movements;

    public LegLane(LegMovementDetector detector, MeterRegistry registry) {
        this(detector, registry, Tags.of("lane", "leg", "model", detector.provenance().ruleSetId(), "provider", "RULES"));
    }

    private LegLane(LegMovementDetector detector, MeterRegistry registry, Tags tags) {
        super("leg", Topics.LEG_WINDOWS, "leg window", tags, registry);
        this.detector = detector;
        this.latency = Timer.builder("hypnostream.inference.latency").tags(tags)
                .description("movement offset (device time) to event produced").publishPercentileHistogram()
                .register(registry);
        this.movements = Counter.builder("hypnostream.inference.events").tags(tags).tag("outcome", "leg_movement")
                .register(registry);
    }

    /** Leg events are read by PLM scoring (a 250-ms commit interval), not on the stage path: ADR 0033. */
    @Override
    public boolean offStagePath() {
        return true;
    }

    @Override
    protected String bedOf(LegWindow w) {
        return w.bedId();
    }

    @Override
    protected List<ProducerRecord<String, byte[]>> apply(LegWindow w, int partition) {
        Bed bed = beds.get(w.bedId());
        if (bed == null || bed.sessionStartMicros != w.sessionStartMicros()) {
            bed = new Bed();
            bed.state = detector.newState();
            bed.sessionStartMicros = w.sessionStartMicros();
            beds.put(w.bedId(), bed);
        }
        bed.partition = partition;
        List<LegMovementEvent> found = detector.process(bed.state, w, now());
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(found.size());
        for (LegMovementEvent ev : found) {
            records.add(record(Topics.LEG_EVENTS, ev.bedId(), ev));
            if (!rebuilding()) {
                movements.increment();
                latency.record(Duration.ofMillis(Math.max(0, ev.latencyMillis())));
            }
        }
        return records;
    }

    @Override
    protected void forgetPartitions(Set<Integer> gone) {
        beds.values().removeIf(b -> gone.contains(b.partition));
    }
}
