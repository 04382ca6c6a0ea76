package org.hypnostream.stream.plm;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.hypnostream.common.event.Alert;
import org.hypnostream.common.event.AlertAction;
import org.hypnostream.common.event.AlertPriority;
import org.hypnostream.common.event.BedInfo;
import org.hypnostream.common.event.DeadLetter;
import org.hypnostream.common.event.LegMovementEvent;
import org.hypnostream.common.event.LegSide;
import org.hypnostream.common.event.PlmEvent;
import org.hypnostream.common.event.StageEvent;
import org.hypnostream.common.time.Micros;
import org.hypnostream.common.topic.Topic;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.common.wire.LegWindow;
import org.hypnostream.common.wire.QualityFlag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Routes each input record to {@link PlmScorer} / {@link AlarmPolicy} and forwards their results. */
final class PlmProcessor implements Processor<String, byte[], String, byte[]> {
    private static final Logger LOG = LoggerFactory.getLogger(PlmProcessor.class);
    static final String COMPONENT = "stream-processor.plm";
    static final double FLAT_STD_UV = 0.25;

    private final PlmConfig cfg;
    private final InstantSource clock;
    private final PlmScorer scorer;
    private final AlarmPolicy alarms;
    private ProcessorContext<String, byte[]> ctx;
    private KeyValueStore<String, BedPlmState> beds;
    private KeyValueStore<String, BedAlarms> alarmStore;

    PlmProcessor(PlmConfig cfg, InstantSource clock) {
        this.cfg = cfg;
        this.clock = clock;
        this.scorer = new PlmScorer(cfg);
        this.alarms = new AlarmPolicy(clock, cfg.alarmCapPerHour());
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        ctx = context;
        beds = context.getStateStore(PlmTopology.BED_STATE_STORE);
        alarmStore = context.getStateStore(PlmTopology.ALARM_STORE);
        context.schedule(Duration.ofSeconds(cfg.punctuateSeconds()), PunctuationType.WALL_CLOCK_TIME, this::punctuate);
    }

    @Override
    public void process(Record<String, byte[]> r) {
        String topic = ctx.recordMetadata().map(RecordMetadata::topic).orElse("unknown");
        try {
            if (r.key() == null || r.key().isBlank()) {
                throw new IllegalArgumentException("record without a bed id key");
            }
            if (r.value() == null) {
                throw new IllegalArgumentException("record without a value");
            }
            String bed = r.key();
            Instant now = clock.instant();
            if (topic.equals(Topics.LEG_EVENTS.name())) {
                LegMovementEvent e = decode(Topics.LEG_EVENTS, topic, r.value());
                sameBed(bed, e.bedId());
                BedPlmState s = state(bed);
                List<PlmEvent> out = scorer.onLegEvent(s, e, now);
                finish(r, bed, s, out);
            } else if (topic.equals(Topics.STAGE_EVENTS.name())) {
                StageEvent e = decode(Topics.STAGE_EVENTS, topic, r.value());
                sameBed(bed, e.bedId());
                BedPlmState s = state(bed);
                finish(r, bed, s, scorer.onStage(s, e, now));
            } else if (topic.equals(Topics.LEG_WINDOWS.name())) {
                LegWindow w = decode(Topics.LEG_WINDOWS, topic, r.value());
                sameBed(bed, w.bedId());
                BedPlmState s = state(bed);
                List<PlmEvent> out = scorer.advance(s, bed, w.endMicros(), now);
                BedAlarms a = alarmState(bed);
                a.lastDataMicros = Micros.of(now);
                List<Alert> al = new ArrayList<>(alarms.update(a, bed, "STREAM_STALLED", "STREAM_STALLED", false,
                        AlertPriority.MEDIUM, "no data from the bed", false));
                al.addAll(legChannel(a, bed, LegSide.LEFT, w.left(), w.leftQuality()));
                al.addAll(legChannel(a, bed, LegSide.RIGHT, w.right(), w.rightQuality()));
                alarmStore.put(bed, a);
                forwardAlerts(r.timestamp(), bed, al);
                finish(r, bed, s, out);
            } else if (topic.equals(Topics.ALERT_ACTIONS.name())) {
                AlertAction act = decode(Topics.ALERT_ACTIONS, topic, r.value());
                sameBed(bed, act.bedId());
                BedAlarms a = alarmState(bed);
                List<Alert> al = alarms.apply(a, act);
                alarmStore.put(bed, a);
                forwardAlerts(r.timestamp(), bed, al);
            } else if (topic.equals(Topics.STUDY_EVENTS.name())) {
                org.hypnostream.common.study.StudyEvent e = decode(Topics.STUDY_EVENTS, topic, r.value());
                sameBed(bed, e.bedId());
                BedPlmState s = state(bed);
                finish(r, bed, s, scorer.onStudy(s, e, now));
            } else if (topic.equals(Topics.BEDS.name())) {
                BedInfo b = decode(Topics.BEDS, topic, r.value());
                sameBed(bed, b.bedId());
                BedPlmState s = state(bed);
                if (s.studyId == null) { // a study's own rule set (study-events.v1) wins over the bed's default
                    s.ruleSet = PlmRuleSet.parse(b.ruleSet()).id();
                }
                beds.put(bed, s);
            } else {
                throw new IllegalArgumentException("topic " + topic + " is not an input of the PLM topology");
            }
        } catch (RuntimeException ex) {
            deadLetter(r, topic, ex);
        }
    }

    private void finish(Record<String, byte[]> r, String bed, BedPlmState s, List<PlmEvent> out) {
        beds.put(bed, s);
        for (PlmEvent e : out) {
            ctx.forward(new Record<>(bed, Topics.PLM_EVENTS.valueSerde().serializer().serialize(
                    Topics.PLM_EVENTS.name(), e), r.timestamp()), PlmTopology.SINK_PLM);
        }
        double idx = scorer.rollingPlmsIndex(s);
        double threshold = scorer.alarmThreshold(s);
        boolean high = !Double.isNaN(idx) && idx > threshold;
        BedAlarms a = alarmState(bed);
        byte[] before = PlmStateCodec.encode(a);
        String msg = String.format(java.util.Locale.ROOT,
                "PLMS index %.1f/h over the last %d min of sleep (threshold %.1f/h); a finding, not a diagnosis",
                Double.isNaN(idx) ? 0.0 : idx, cfg.alarmWindowMinutes(), threshold);
        List<Alert> al = alarms.update(a, bed, "PLMS_INDEX_HIGH", "PLMS_INDEX_HIGH", true, cfg.alarmPriority(), msg,
                high);
        if (!java.util.Arrays.equals(before, PlmStateCodec.encode(a))) {
            // most records leave the alarm state as it was: no second write of the same value (ADR 0031)
            alarmStore.put(bed, a);
        }
        forwardAlerts(r.timestamp(), bed, al);
    }

    private List<Alert> legChannel(BedAlarms a, String bed, LegSide side, float[] x, java.util.Set<QualityFlag> q) {
        int nan = 0;
        double sum = 0;
        double sum2 = 0;
        for (float v : x) {
            if (Float.isFinite(v)) {
                sum += v;
                sum2 += (double) v * v;
            } else {
                nan++;
            }
        }
        int n = x.length - nan;
        double std = n == 0 ? 0 : Math.sqrt(Math.max(0, sum2 / n - (sum / n) * (sum / n)));
        boolean disconnected = q.contains(QualityFlag.MISSING_CHANNEL) || nan > x.length / 2;
        boolean flat = !disconnected && (q.contains(QualityFlag.FLAT) || std < FLAT_STD_UV);
        boolean saturated = !disconnected && !flat && q.contains(QualityFlag.CLIPPED);
        String leg = side == LegSide.LEFT ? "left" : "right";
        List<Alert> out = new ArrayList<>();
        out.addAll(alarms.update(a, bed, "LEG_CHANNEL_DISCONNECTED:" + side, "LEG_CHANNEL_DISCONNECTED", false,
                AlertPriority.LOW, leg + " leg EMG missing or disconnected: no leg movements scored on it",
                disconnected));
        out.addAll(alarms.update(a, bed, "LEG_CHANNEL_FLAT:" + side, "LEG_CHANNEL_FLAT", false, AlertPriority.LOW,
                leg + " leg EMG flat (electrode off or amplifier stuck): no leg movements scored on it", flat));
        out.addAll(alarms.update(a, bed, "LEG_CHANNEL_SATURATED:" + side, "LEG_CHANNEL_SATURATED", false,
                AlertPriority.LOW, leg + " leg EMG saturated: no leg movements scored on it", saturated));
        return out;
    }

    private void punctuate(long timestamp) {
        Instant now = clock.instant();
        List<KeyValue<String, BedAlarms>> changed = new ArrayList<>();
        try (KeyValueIterator<String, BedAlarms> it = alarmStore.all()) {
            while (it.hasNext()) {
                KeyValue<String, BedAlarms> kv;
                try {
                    kv = it.next(); // the iterator moves on before it decodes, so an unreadable value can be skipped
                } catch (RuntimeException ex) {
                    LOG.warn("stall and silence check: skipped a {} value that cannot be read: {}",
                            PlmTopology.ALARM_STORE, ex.getMessage());
                    continue;
                }
                BedAlarms a = kv.value;
                List<Alert> out = new ArrayList<>(alarms.tick(a));
                if (a.lastDataMicros > 0) {
                    long silentS = (Micros.of(now) - a.lastDataMicros) / 1_000_000L;
                    out.addAll(alarms.update(a, kv.key, "STREAM_STALLED", "STREAM_STALLED", false, AlertPriority.MEDIUM,
                            "no leg data from the bed for " + silentS + " s", silentS >= cfg.stallSeconds()));
                }
                if (!out.isEmpty()) {
                    changed.add(KeyValue.pair(kv.key, a));
                    forwardAlerts(timestamp, kv.key, out);
                }
            }
        }
        changed.forEach(kv -> alarmStore.put(kv.key, kv.value));
    }

    private void forwardAlerts(long timestamp, String bed, List<Alert> alerts) {
        for (Alert a : alerts) {
            ctx.forward(new Record<>(bed, Topics.ALERTS.valueSerde().serializer().serialize(Topics.ALERTS.name(), a),
                    timestamp), PlmTopology.SINK_ALERTS);
        }
    }

    private void deadLetter(Record<String, byte[]> r, String topic, RuntimeException ex) {
        int partition = ctx.recordMetadata().map(RecordMetadata::partition).orElse(-1);
        long offset = ctx.recordMetadata().map(RecordMetadata::offset).orElse(-1L);
        String reason = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
        LOG.warn("dead-lettering record from {}/{}@{} key {}: {}", topic, partition, offset, r.key(), reason);
        DeadLetter d = DeadLetter.of(COMPONENT, topic, partition, offset, r.key(), reason, r.value(), clock.instant());
        ctx.forward(new Record<>(r.key(), Topics.DEAD_LETTER.valueSerde().serializer().serialize(
                Topics.DEAD_LETTER.name(), d), r.timestamp()), PlmTopology.SINK_DEAD);
    }

    private static <T> T decode(Topic<String, T> t, String topic, byte[] bytes) {
        T v = t.valueSerde().deserializer().deserialize(topic, bytes);
        if (v == null) {
            throw new IllegalArgumentException("empty record");
        }
        return v;
    }

    private static void sameBed(String key, String bedId) {
        if (!key.equals(bedId)) {
            throw new IllegalArgumentException("record key " + key + " does not match its bed id " + bedId);
        }
    }

    private BedPlmState state(String bed) {
        BedPlmState s = beds.get(bed);
        return s == null ? new BedPlmState() : s;
    }

    private BedAlarms alarmState(String bed) {
        BedAlarms a = alarmStore.get(bed);
        return a == null ? new BedAlarms() : a;
    }
}
