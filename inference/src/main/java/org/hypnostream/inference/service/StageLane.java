package org.hypnostream.inference.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
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
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.hypnostream.common.event.Alert;
import org.hypnostream.common.event.AlertState;
import org.hypnostream.common.event.Provenance;
import org.hypnostream.common.event.Stage;
import org.hypnostream.common.event.StageEvent;
import org.hypnostream.common.event.StateSnapshot;
import org.hypnostream.common.time.Micros;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.common.wire.Epoch;
import org.hypnostream.inference.stage.StageResult;
import org.hypnostream.inference.stage.StageScorer;
import org.hypnostream.inference.stage.UnscoredRun;
import org.hypnostream.inference.stage.UnscoredRunPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * eeg-epochs -> stage-events (+ UNSCORED_PERSISTENT alerts, dead letters). Every decodable epoch yields exactly one
 * stage event (UNSCORED or from-prior-only with the scorer's reason when its data is unusable); a run of
 * {@code unscoredAlertEpochs} consecutive such epochs raises one technical alert, cleared by the next scored epoch
 * (the rules: {@link UnscoredRunPolicy}). Each bed's state is one {@link StageBed}. A batch holding several epochs of
 * one bed is scored in waves, one epoch per bed per scorer call.
 */
public final class StageLane implements Lane {
    public static final String COMPONENT = "inference";
    public static final String ALERT_CODE = UnscoredRunPolicy.ALERT_CODE;
    private static final Logger LOG = LoggerFactory.getLogger(StageLane.class);

    private record Item(int position, ConsumerRecord<String, byte[]> record, Epoch epoch) {
    }

    private final StageScorer scorer;
    private final UnscoredRunPolicy policy;
    private final Provenance provenance;
    private final Map<String, StageBed> beds = new HashMap<>();
    /** Beds whose state changed since the last {@link #snapshots()} call, in first-touch order. */
    private final Set<String> touched = new java.util.LinkedHashSet<>();
    private final Tags tags;
    private final Timer scoringTime;
    private final Timer latency;
    private final Map<String, Counter> events = new HashMap<>();
    private final MeterRegistry registry;
    /** Beds of this instance with an active {@link #ALERT_CODE} alert; read by the scrape thread. */
    private final AtomicInteger unscoredBeds = new AtomicInteger();
    /** The longest current run of consecutive not-scored epochs over this instance's beds; read by the scrape thread. */
    private final AtomicInteger longestUnscoredRun = new AtomicInteger();

    public StageLane(StageScorer scorer, int unscoredAlertEpochs, MeterRegistry registry) {
        this.policy = new UnscoredRunPolicy(unscoredAlertEpochs);
        this.scorer = scorer;
        this.registry = registry;
        this.provenance = Provenance.model(scorer.modelId(), scorer.modelSha256(), scorer.provider());
        this.tags = Tags.of("lane", "stage", "model", scorer.modelId(), "provider", scorer.provider());
        this.scoringTime = Timer.builder("hypnostream.inference.scoring.time").tags(tags)
                .description("model call time per batch").publishPercentileHistogram().register(registry);
        this.latency = Timer.builder("hypnostream.inference.latency").tags(tags)
                .description("end of epoch (device time) to event produced").publishPercentileHistogram()
                .register(registry);
        // per instance, never per bed: a bed tag would put bed ids in /metrics and grow with every bed ever seen
        Gauge.builder("hypnostream.inference.unscored.beds", unscoredBeds, AtomicInteger::get).tags(tags)
                .description("beds of this instance with an active " + ALERT_CODE + " alert").register(registry);
        Gauge.builder("hypnostream.inference.unscored.run.longest", longestUnscoredRun, AtomicInteger::get).tags(tags)
                .baseUnit("epochs").description("longest current run of consecutive not-scored epochs over this "
                        + "instance's beds").register(registry);
    }

    @Override
    public String name() {
        return "stage";
    }

    @Override
    public String inputTopic() {
        return Topics.EEG_EPOCHS.name();
    }

    @Override
    public Tags tags() {
        return tags;
    }

    @Override
    public List<Scored> score(List<ConsumerRecord<String, byte[]>> batch, Instant now) {
        return process(batch, now, true);
    }

    @Override
    public void rebuild(List<ConsumerRecord<String, byte[]>> history) {
        process(history, Instant.EPOCH, false);
    }

    @Override
    public void forget(Collection<TopicPartition> partitions) {
        Set<Integer> gone = new HashSet<>();
        partitions.stream().filter(tp -> tp.topic().equals(inputTopic())).forEach(tp -> gone.add(tp.partition()));
        beds.values().removeIf(b -> gone.contains(b.partition));
        touched.retainAll(beds.keySet());
        refreshUnscoredGauges();
    }

    @Override
    public List<StateSnapshot> snapshots() {
        List<StateSnapshot> out = new ArrayList<>(touched.size());
        for (String bedId : touched) {
            StateSnapshot s = beds.get(bedId).snapshot(name(), scorer, bedId, inputTopic());
            if (s == null) {
                break; // this scorer keeps no snapshots: its beds are rebuilt from the look-back
            }
            out.add(s);
        }
        touched.clear();
        return out;
    }

    @Override
    public Map<String, Long> restore(List<StateSnapshot> latest) {
        Map<String, Long> restored = new HashMap<>();
        int otherModel = 0;
        for (StateSnapshot s : latest) {
            if (!s.lane().equals(name()) || !s.inputTopic().equals(inputTopic())) {
                continue;
            }
            if (!s.modelId().equals(scorer.modelId()) || !s.modelSha256().equals(scorer.modelSha256())) {
                otherModel++;
                continue;
            }
            try {
                beds.put(s.bedId(), StageBed.restore(s, scorer));
                restored.put(s.bedId(), s.inputOffset());
            } catch (RuntimeException e) {
                LOG.warn("bed {}: snapshot {} not restored ({}); rebuilding it from the look-back", s.bedId(), s,
                        e.toString());
            }
        }
        if (otherModel > 0) {
            LOG.info("stage lane: ignored {} snapshots of another model build than {} {}", otherModel,
                    scorer.modelId(), scorer.modelSha256());
        }
        refreshUnscoredGauges();
        return restored;
    }

    private List<Scored> process(List<ConsumerRecord<String, byte[]>> batch, Instant now, boolean emit) {
        Scored[] out = new Scored[batch.size()];
        List<Item> remaining = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            ConsumerRecord<String, byte[]> r = batch.get(i);
            try {
                Epoch e = BedRecords.decode(Topics.EEG_EPOCHS, r, Epoch::bedId, "epoch ");
                remaining.add(new Item(i, r, e));
            } catch (RuntimeException ex) {
                out[i] = deadLetter(r, "undecodable epoch: " + ex.getMessage(), now, emit);
            }
        }
        while (!remaining.isEmpty()) {
            Set<String> inWave = new HashSet<>();
            List<Item> wave = new ArrayList<>();
            List<Item> next = new ArrayList<>();
            for (Item it : remaining) {
                (inWave.add(it.epoch().bedId()) ? wave : next).add(it);
            }
            scoreWave(wave, out, now, emit);
            remaining = next;
        }
        refreshUnscoredGauges();
        return List.of(out);
    }

    private void refreshUnscoredGauges() {
        UnscoredRunPolicy.Gauges g = UnscoredRunPolicy.gauges(() -> beds.values().stream().map(b -> b.run).iterator());
        unscoredBeds.set(g.alertingBeds());
        longestUnscoredRun.set(g.longestRun());
    }

    private void scoreWave(List<Item> wave, Scored[] out, Instant now, boolean emit) {
        List<Item> ok = new ArrayList<>();
        List<StageBed> waveBeds = new ArrayList<>();
        for (Item it : wave) {
            Epoch e = it.epoch();
            StageBed bed = beds.get(e.bedId());
            if (bed == null || bed.sessionStartMicros != e.sessionStartMicros()) {
                bed = new StageBed(scorer.newState(), e.sessionStartMicros(), UnscoredRun.NONE);
                beds.put(e.bedId(), bed);
            }
            bed.partition = it.record().partition();
            bed.offset = it.record().offset();
            if (e.index() <= bed.scorer.lastEpochIndex()) {
                out[it.position()] = deadLetter(it.record(), "epoch " + e.index() + " of bed " + e.bedId()
                        + " is a duplicate or out of order (last scored " + bed.scorer.lastEpochIndex() + ")", now, emit);
                continue;
            }
            ok.add(it);
            waveBeds.add(bed);
        }
        if (ok.isEmpty()) {
            return;
        }
        long t0 = System.nanoTime();
        List<StageResult> results = scorer.scoreBatch(waveBeds.stream().map(b -> b.scorer).toList(),
                ok.stream().map(Item::epoch).toList());
        if (emit) {
            scoringTime.record(Duration.ofNanos(System.nanoTime() - t0));
        }
        if (results.size() != ok.size()) {
            throw new IllegalStateException("stager " + scorer.modelId() + " returned " + results.size()
                    + " results for " + ok.size() + " epochs");
        }
        for (int k = 0; k < ok.size(); k++) {
            Item it = ok.get(k);
            out[it.position()] = emitted(it, results.get(k), waveBeds.get(k), now, emit);
        }
    }

    private Scored emitted(Item it, StageResult r, StageBed bed, Instant now, boolean emit) {
        Epoch e = it.epoch();
        Stage stage = r.stage();
        boolean notScored = UnscoredRunPolicy.notScored(r);
        String reason = UnscoredRunPolicy.reason(r, e.quality());
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(2);
        touched.add(e.bedId());
        UnscoredRunPolicy.Step step = policy.next(bed.run, e.bedId(), bed.sessionStartMicros, e.index(), notScored,
                reason, emit ? now : Micros.toInstant(e.endMicros()));
        bed.run = step.run();
        Alert alert = step.alert();
        if (alert != null && alert.state() == AlertState.ACTIVE) {
            LOG.warn("bed {}: {} consecutive epochs not scored since epoch {} ({})", e.bedId(), bed.run.length(),
                    bed.run.startIndex(), reason);
        }
        if (!emit) {
            return new Scored(tp(it.record()), it.record().offset(), List.of());
        }
        Instant end = Micros.toInstant(e.endMicros());
        long latencyMillis = Duration.between(end, now).toMillis();
        StageEvent ev = new StageEvent(e.bedId(), e.index(), Micros.toInstant(e.startMicros()), end, stage,
                r.probabilities(), r.fromPriorOnly(), reason,
                r.quality().isEmpty() ? e.quality() : r.quality(), provenance, now, latencyMillis,
                e.lastBlockReceiveMicros());
        records.add(new ProducerRecord<>(Topics.STAGE_EVENTS.name(), e.bedId(),
                Topics.STAGE_EVENTS.valueSerde().serializer().serialize(Topics.STAGE_EVENTS.name(), ev)));
        if (alert != null) {
            records.add(new ProducerRecord<>(Topics.ALERTS.name(), e.bedId(),
                    Topics.ALERTS.valueSerde().serializer().serialize(Topics.ALERTS.name(), alert)));
        }
        latency.record(Duration.ofMillis(Math.max(0, latencyMillis)));
        String outcome = stage == Stage.UNSCORED ? "unscored" : r.fromPriorOnly() ? "prior_only" : "scored";
        events.computeIfAbsent(outcome, o -> Counter.builder("hypnostream.inference.events").tags(tags)
                .tag("outcome", o).register(registry)).increment();
        return new Scored(tp(it.record()), it.record().offset(), records);
    }

    private Scored deadLetter(ConsumerRecord<String, byte[]> r, String reason, Instant now, boolean emit) {
        if (!emit) {
            return new Scored(tp(r), r.offset(), List.of());
        }
        events.computeIfAbsent("dead_letter", o -> Counter.builder("hypnostream.inference.events").tags(tags)
                .tag("outcome", o).register(registry)).increment();
        return Scored.deadLetter(r, reason, now);
    }

    private static TopicPartition tp(ConsumerRecord<?, ?> r) {
        return new TopicPartition(r.topic(), r.partition());
    }
}
