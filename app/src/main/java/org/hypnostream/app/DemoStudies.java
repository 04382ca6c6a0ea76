package org.hypnostream.app;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.hypnostream.common.event.Stage;
import org.hypnostream.common.study.Admission;
import org.hypnostream.common.study.BedsideEvent;
import org.hypnostream.common.study.BedsideEventType;
import org.hypnostream.common.study.BodyPosition;
import org.hypnostream.common.study.Population;
import org.hypnostream.common.study.StudyEvent;
import org.hypnostream.common.study.StudyEventType;
import org.hypnostream.common.study.StudyProtocol;
import org.hypnostream.dashboard.feed.KafkaFeed;
import org.hypnostream.dashboard.night.BedNight;
import org.hypnostream.dashboard.night.WardState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's studies: each bed is admitted at its session start (by user "demo-tech"), lights-off is marked one minute
 * of device time in (by "demo-nurse", with a bedside event: position change to supine), and lights-on when its night ends: at the synthetic hypnogram's final awakening
 * (+1 min) for an open-ended demo, or when the recording stops for a timed one ({@link #recordingEnded}). Marks are
 * written when their device time has come (device time runs {@code speed} times faster than the wall clock), so the
 * ward shows them as a night would.
 */
final class DemoStudies implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DemoStudies.class);
    static final Duration LIGHTS_OFF_AFTER = Duration.ofMinutes(1);

    private final StudyJournal journal;
    private final InstantSource clock;
    private final double speed;
    private final List<String> beds;
    private final List<Instant> starts;
    private final Duration span;
    private final List<List<Stage>> hypnograms;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "demo-studies");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Instant> lightsOff = new LinkedHashMap<>();
    private final java.util.Set<String> written = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private Instant wallStart;

    /**
     * @param span       device time each bed records (null = until stopped)
     * @param hypnograms each bed's synthetic hypnogram, or null for a replayed recording
     */
    DemoStudies(String bootstrap, InstantSource clock, double speed, List<String> beds, List<Instant> starts, Duration span,
            List<List<Stage>> hypnograms) {
        this.journal = new StudyJournal(bootstrap, Map.of());
        this.clock = clock;
        this.speed = speed;
        this.beds = List.copyOf(beds);
        this.starts = List.copyOf(starts);
        this.span = span;
        this.hypnograms = new ArrayList<>(hypnograms);
    }

    /** Admits every bed now and schedules its lights-off (and, open-ended, its lights-on). */
    void start() {
        wallStart = clock.instant();
        for (int i = 0; i < beds.size(); i++) {
            String bed = beds.get(i);
            Instant start = starts.get(i);
            journal.write(new StudyEvent(UUID.randomUUID().toString(), bed, studyId(bed), StudyEventType.ADMITTED, "demo-tech",
                    clock.instant(), start, new Admission(String.format("DEMO-%04d", i + 1), StudyProtocol.PLM_STUDY, "WASM2016",
                            Population.ADULT), null, null), StudyCommand.TIMEOUT);
            Duration off = span == null ? LIGHTS_OFF_AFTER : min(LIGHTS_OFF_AFTER, span.dividedBy(4));
            lightsOff.put(bed, start.plus(off));
            schedule(bed, StudyEventType.LIGHTS_OFF, start.plus(off));
            List<Stage> h = hypnograms.get(i);
            if (span == null && h != null) {
                int lastSleep = -1;
                for (int e = 0; e < h.size(); e++) {
                    lastSleep = h.get(e).isSleep() ? e : lastSleep;
                }
                if (lastSleep >= 0) {
                    schedule(bed, StudyEventType.LIGHTS_ON, start.plusSeconds(30L * (lastSleep + 1) + 60));
                }
            }
        }
    }

    static String studyId(String bed) {
        return "demo-" + bed;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private void schedule(String bed, StudyEventType type, Instant deviceTime) {
        long delayMs = speed == 0 ? 0 : Math.max(0, Math.round(Duration.between(starts.get(beds.indexOf(bed)), deviceTime)
                .toMillis() / speed) - Duration.between(wallStart, clock.instant()).toMillis());
        timer.schedule(() -> mark(bed, type, deviceTime), delayMs, TimeUnit.MILLISECONDS);
    }

    /** Writes a mark once (the timer and {@link #recordingEnded} may both try). */
    private synchronized void mark(String bed, StudyEventType type, Instant deviceTime) {
        if (!written.add(bed + type)) {
            return;
        }
        try {
            journal.write(new StudyEvent(UUID.randomUUID().toString(), bed, studyId(bed), type, "demo-nurse", clock.instant(),
                    deviceTime, null, null, null), StudyCommand.TIMEOUT);
            if (type == StudyEventType.LIGHTS_OFF) { // the nurse settles the patient: one bedside event per night
                journal.write(new BedsideEvent(UUID.randomUUID().toString(), bed, studyId(bed), BedsideEventType.POSITION_CHANGE,
                        BodyPosition.SUPINE, "settled for the night", "demo-nurse", clock.instant(), deviceTime), StudyCommand.TIMEOUT);
            }
        } catch (RuntimeException e) {
            LOG.warn("demo study mark {} for bed {} not written: {}", type, bed, e.toString());
        }
    }

    /** A timed demo's recordings stopped: lights-off (if its time had not come) and lights-on at each recording's end. */
    void recordingEnded() {
        if (span == null) {
            return;
        }
        for (int i = 0; i < beds.size(); i++) {
            String bed = beds.get(i);
            mark(bed, StudyEventType.LIGHTS_OFF, lightsOff.get(bed));
            mark(bed, StudyEventType.LIGHTS_ON, starts.get(i).plus(span));
        }
    }

    /**
     * Per bed, the study statistics the dashboard shows (the same {@code BedNight.statistics()}, rebuilt from the
     * topics): study_state, lights_off_assumed, trt_min, tst_min, sleep_efficiency, sol_min, rem_latency_min,
     * waso_min, stage_min, bedside_events.
     */
    static Map<String, Map<String, Object>> summaries(String bootstrap, List<String> beds) {
        WardState state = new WardState(InstantSource.system());
        KafkaFeed.readToEnd(bootstrap, Duration.ofSeconds(60), e -> {
            try {
                state.apply(e);
            } catch (IllegalArgumentException bad) {
                LOG.warn("demo summary: event skipped: {}", bad.getMessage());
            }
        }, d -> LOG.warn("demo summary: undecodable record {}-{}@{}", d.sourceTopic(), d.partition(), d.offset()));
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (String bed : beds) {
            Map<String, Object> s = state.bed(bed).map(BedNight::statistics).map(st -> st.toMap()).orElse(Map.of());
            Map<String, Object> m = new LinkedHashMap<>();
            for (String k : List.of("study_state", "lights_off_assumed", "trt_min", "tst_min", "sleep_efficiency", "sol_min",
                    "rem_latency_min", "waso_min", "stage_min")) {
                m.put(k, s.get(k));
            }
            m.put("bedside_events", state.bed(bed).map(n -> n.bedsideEvents().size()).orElse(0));
            out.put(bed, m);
        }
        return out;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        journal.close();
    }
}
