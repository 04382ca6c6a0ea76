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
public final class EmgLane extends RecordLane<EmgSegment> {

    private final EmgSegmentScreening screening;
    private final Map<String, Integer> bedPartitions = new HashMap<>();
    private final Timer latency;
    private final Counter windows;
    private final Counter finals;

    public EmgLane(EmgScreeningModel model, MeterRegistry registry) {
        this(model, registry, Tags.of("lane", "emg", "model", model.id(), "provider", model.provider()));
    }

    private EmgLane(EmgScreeningModel model, MeterRegistry registry, Tags tags) {
        super("emg", Topics.EMG_SEGMENTS, "EMG segment", tags, registry);
        this.screening = new EmgSegmentScreening(model, this::now);
        this.latency = Timer.builder("hypnostream.inference.latency").tags(tags)
                .description("last block received to event produced").publishPercentileHistogram().register(registry);
        this.windows = Counter.builder("hypnostream.inference.events").tags(tags).tag("outcome", "emg_window")
                .register(registry);
        this.finals = Counter.builder("hypnostream.inference.events").tags(tags).tag("outcome", "emg_final_verdict")
                .register(registry);
    }

    /** Recordings with segments scored but no last segment yet. */
    public int openRecordings() {
        return screening.openRecordings();
    }

    @Override
    protected String bedOf(EmgSegment s) {
        return s.bedId();
    }

    @Override
    protected List<ProducerRecord<String, byte[]>> apply(EmgSegment s, int partition) {
        bedPartitions.put(s.bedId(), partition);
        List<NeuromuscularEvent> events = screening.onSegment(s);
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(events.size());
        for (NeuromuscularEvent ev : events) {
            records.add(record(Topics.NEUROMUSCULAR_EVENTS, ev.bedId(), ev));
            if (rebuilding()) {
                continue;
            }
            if (EmgSegmentScreening.KIND_WINDOW.equals(ev.kind())) {
                windows.increment();
            } else {
                latency.record(Duration.ofMillis(ev.latencyMillis()));
                if (ev.isFinal()) {
                    finals.increment();
                }
            }
        }
        return records;
    }

    @Override
    protected void forgetPartitions(Set<Integer> gone) {
        bedPartitions.entrySet().removeIf(e -> {
            if (gone.contains(e.getValue())) {
                screening.forgetBed(e.getKey());
                return true;
            }
            return false;
        });
    }
}
