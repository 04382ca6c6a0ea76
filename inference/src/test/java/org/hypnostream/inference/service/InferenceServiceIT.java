package org.hypnostream.inference.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.hypnostream.broker.EmbeddedKafka;
import org.hypnostream.common.event.Alert;
import org.hypnostream.common.event.AlertState;
import org.hypnostream.common.event.DeadLetter;
import org.hypnostream.common.event.LegMovementEvent;
import org.hypnostream.common.event.Stage;
import org.hypnostream.common.event.StageEvent;
import org.hypnostream.common.event.StateSnapshot;
import org.hypnostream.common.topic.Topic;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.common.wire.LegWindow;
import org.hypnostream.common.wire.WindowCodecs;
import org.hypnostream.inference.leg.LegMovementDetector;
import org.hypnostream.inference.leg.LegRules;
import org.hypnostream.inference.runtime.ModelRegistry;
import org.hypnostream.testkit.GroupProgress;
import org.hypnostream.testkit.TestProducer;
import org.hypnostream.testkit.TopicReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inference service against a real in-process KRaft broker: events per epoch, alerts, and a crash restart. */
class InferenceServiceIT {
    private static final Duration DEADLINE = Duration.ofSeconds(45);
    /** A fresh JVM loading Kafka and ONNX Runtime on a loaded 2-core CI box can take long to start. */
    private static final Duration CHILD_DEADLINE = Duration.ofSeconds(120);

    @TempDir
    Path dir;
    private EmbeddedKafka kafka;
    private ModelRegistry models;

    @BeforeEach
    void up() {
        kafka = EmbeddedKafka.start(dir.resolve("kafka"));
        kafka.createTopics(2);
        models = ModelRegistry.load(TestStager.GOOD_MODELS, "cpu");
    }

    @AfterEach
    void down() {
        models.close();
        kafka.close();
    }

    private InferenceConfig config(String instance, int batch) {
        return new InferenceConfig(kafka.bootstrapServers(), TestStager.GOOD_MODELS, "cpu", instance, batch,
                Duration.ofMillis(10), 1000, 3, -1, 1);
    }

    private TestStager stager() {
        return new TestStager(models.require("linear-stager-test"));
    }

    @Test
    void everyEpochGetsOneEventFlatOnesUnscoredWithAnAlertAndGarbageIsDeadLettered() throws Exception {
        List<ProducerRecord<String, byte[]>> in = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            in.add(epoch("bed-a", i, false));
            in.add(epoch("bed-b", i, i >= 2 && i <= 5));
        }
        in.add(new ProducerRecord<>(Topics.EEG_EPOCHS.name(), "bed-z", new byte[] {'H', 'E', 'P', 9}));
        produce(in);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (InferenceService s = InferenceService.start(config("it-a", 16), stager(), registry, InstantSource.system())) {
            awaitAllInputCommitted(s);
            List<StageEvent> events = readAll(Topics.STAGE_EVENTS);
            assertThat(events).hasSize(16);
            assertThat(events.stream().map(e -> e.bedId() + "#" + e.epochIndex()).collect(Collectors.toSet())).hasSize(16);
            List<StageEvent> b = events.stream().filter(e -> e.bedId().equals("bed-b"))
                    .sorted(java.util.Comparator.comparingLong(StageEvent::epochIndex)).toList();
            assertThat(b).extracting(StageEvent::stage).containsSubsequence(Stage.UNSCORED, Stage.UNSCORED, Stage.UNSCORED,
                    Stage.UNSCORED);
            assertThat(b.subList(2, 6)).allSatisfy(e -> assertThat(e.unscoredReason()).isEqualTo("FLAT on Fpz-Cz"));
            assertThat(b.get(6).stage()).isNotEqualTo(Stage.UNSCORED);
            assertThat(events).allSatisfy(e -> {
                assertThat(e.provenance().provider()).isEqualTo("CPU");
                assertThat(e.provenance().modelId()).isEqualTo("linear-stager-test");
                assertThat(e.latencyMillis()).isPositive();
            });
            List<Alert> alerts = readAll(Topics.ALERTS);
            assertThat(alerts).extracting(Alert::state).containsExactly(AlertState.ACTIVE, AlertState.CLEARED);
            assertThat(alerts).extracting(Alert::code).containsOnly("UNSCORED_PERSISTENT");
            List<DeadLetter> dead = readAll(Topics.DEAD_LETTER);
            assertThat(dead).hasSize(1);
            assertThat(dead.get(0).key()).isEqualTo("bed-z");
            assertThat(dead.get(0).reason()).contains("undecodable epoch");
            assertThat(registry.get("hypnostream.inference.batch.size").summary().count()).isPositive();
            assertThat(registry.get("hypnostream.inference.latency").timer().count()).isEqualTo(16);
        }
    }

    @Test
    void aKilledServiceRestartsWithEveryEventExactlyOnceAndTheSameValues() throws Exception {
        List<String> beds = List.of("bed-1", "bed-2", "bed-3");
        List<ProducerRecord<String, byte[]>> first = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            for (String bed : beds) {
                first.add(epoch(bed, i, bed.equals("bed-2") && i >= 10 && i <= 13));
            }
        }
        produce(first);
        int seenAtKill = killChildAfter(20, "restart-child.log", "it-b", "4");
        List<ProducerRecord<String, byte[]>> second = new ArrayList<>();
        for (int i = 30; i < 40; i++) {
            for (String bed : beds) {
                second.add(epoch(bed, i, false));
            }
        }
        produce(second);
        assertThat(seenAtKill).as("killed mid-stream").isBetween(20, 119);

        try (InferenceService s = InferenceService.start(config("it-b", 4), stager(), new SimpleMeterRegistry(),
                InstantSource.system())) {
            awaitAllInputCommitted(s);
        }
        assertEveryEventOnceAsUninterrupted(first, second, 120);
        List<Alert> alerts = readAll(Topics.ALERTS);
        assertThat(alerts).extracting(Alert::state).containsExactly(AlertState.ACTIVE, AlertState.CLEARED);
    }

    @Test
    void manyBedsOnOnePartitionResumeFromSnapshotsWithoutAnyLookBack() throws Exception {
        int bedCount = 40;
        List<String> beds = new ArrayList<>();
        for (int b = 0; b < bedCount; b++) {
            beds.add(String.format("bed-%02d", b));
        }
        List<ProducerRecord<String, byte[]>> first = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            for (String bed : beds) {
                first.add(onPartitionZero(epoch(bed, i, bed.equals("bed-07") && i >= 9)));
            }
        }
        produce(first);
        int seenAtKill = killChildAfter(120, "restart-snapshot-child.log", "it-s", "16", "0");
        List<ProducerRecord<String, byte[]>> second = new ArrayList<>();
        for (int i = 12; i < 16; i++) {
            for (String bed : beds) {
                second.add(onPartitionZero(epoch(bed, i, bed.equals("bed-07") && i == 12)));
            }
        }
        produce(second);
        assertThat(seenAtKill).as("killed without a clean shutdown").isBetween(120, 480);

        // look-back 0: whatever state the restarted service has comes from inference-state.v1
        InferenceConfig noLookBack = new InferenceConfig(kafka.bootstrapServers(), TestStager.GOOD_MODELS, "cpu",
                "it-s", 16, Duration.ofMillis(10), 0, 3, -1, 1);
        try (InferenceService s = InferenceService.start(noLookBack, stager(), new SimpleMeterRegistry(),
                InstantSource.system())) {
            awaitAllInputCommitted(s);
        }
        assertEveryEventOnceAsUninterrupted(first, second, bedCount * 16);
        List<Alert> alerts = readAll(Topics.ALERTS);
        assertThat(alerts).extracting(Alert::state).containsExactly(AlertState.ACTIVE, AlertState.CLEARED);
        assertThat(alerts.get(1).alertId()).isEqualTo(alerts.get(0).alertId());
        Map<String, StateSnapshot> latest = new HashMap<>();
        readAll(Topics.INFERENCE_STATE).forEach(snap -> latest.put(StateSnapshot.key(snap.lane(), snap.bedId()), snap));
        assertThat(latest).hasSize(bedCount);
        assertThat(latest.values()).allSatisfy(snap -> {
            assertThat(snap.lastIndex()).isEqualTo(15);
            assertThat(snap.inputPartition()).isZero();
        });
    }

    /** The stage events on the topic: each epoch once, equal to what an uninterrupted run produces. */
    /**
     * ADR 0033: leg windows wait up to {@link TransactionLoop#OFF_STAGE_PATH_WAIT} to ride in a stage transaction (or
     * one of their own): through the real loop and broker, every leg movement still comes out once, the same as the
     * lane fed every window directly, every stage event once, and both inputs' offsets commit.
     */
    @Test
    void legWindowsRidingInStageTransactionsStillYieldEveryMovementOnce() throws Exception {
        List<ProducerRecord<String, byte[]>> legs = legWindows("bed-l");
        List<ProducerRecord<String, byte[]>> in = new ArrayList<>();
        for (int i = 0; i < legs.size(); i++) {
            in.add(legs.get(i));
            if (i % 2 == 0) {
                in.add(epoch("bed-a", i / 2, false));
            }
        }
        produce(in);
        int epochs = (legs.size() + 1) / 2;
        List<LegMovementEvent> want = movements(new LegLane(new LegMovementDetector(LegRules.wasm2016()),
                new SimpleMeterRegistry()).score(toConsumerRecords(legs), Instant.now()));
        assertThat(want).as("the synthetic night has movements").isNotEmpty();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        List<Lane> lanes = List.of(new StageLane(stager(), 3, registry),
                new LegLane(new LegMovementDetector(LegRules.wasm2016()), registry));
        try (InferenceService s = InferenceService.start(config("it-legs", 4), lanes, registry, InstantSource.system())) {
            GroupProgress progress = GroupProgress.at(kafka.bootstrapServers());
            progress.awaitCaughtUp(InferenceConfig.GROUP_ID, kafka.settledEndOffsets(Topics.LEG_WINDOWS.name(), DEADLINE),
                    DEADLINE, () -> assertThat(s.failure()).as("service failure").isNull());
            awaitAllInputCommitted(s);
            List<LegMovementEvent> got = readAll(Topics.LEG_EVENTS);
            assertThat(got.stream().map(LegMovementEvent::movementId).toList()).as("each movement once, as uninterrupted")
                    .containsExactlyInAnyOrderElementsOf(want.stream().map(LegMovementEvent::movementId).toList());
            assertThat(readAll(Topics.STAGE_EVENTS)).hasSize(epochs);
            assertThat(registry.get("hypnostream.inference.loop.transaction").timer().count()).isPositive();
        }
    }

    /** One bed's leg EMG, noise with bursts at known times, cut into 4801-sample windows hopped by 2400. */
    private static List<ProducerRecord<String, byte[]>> legWindows(String bed) {
        int n = 150 * 200;
        java.util.Random r = new java.util.Random(7);
        float[] left = new float[n];
        float[] right = new float[n];
        for (int i = 0; i < n; i++) {
            left[i] = (float) r.nextGaussian();
            right[i] = (float) r.nextGaussian();
        }
        for (double onset : new double[] {10.0, 35.5, 70.0, 100.0}) {
            for (int i = (int) (onset * 200); i < (int) ((onset + 2.0) * 200); i++) {
                left[i] += (float) (40 * r.nextGaussian());
            }
        }
        List<ProducerRecord<String, byte[]>> out = new ArrayList<>();
        for (int k = 0; (long) k * 2400 + LegWindow.SAMPLES <= n; k++) {
            int s = k * 2400;
            LegWindow w = new LegWindow(bed, k, 1_700_000_000_000_000L, 200.0, 2400,
                    java.util.Arrays.copyOfRange(left, s, s + LegWindow.SAMPLES),
                    java.util.Arrays.copyOfRange(right, s, s + LegWindow.SAMPLES), Set.of(), Set.of(), 0);
            out.add(new ProducerRecord<>(Topics.LEG_WINDOWS.name(), bed,
                    Topics.LEG_WINDOWS.valueSerde().serializer().serialize(Topics.LEG_WINDOWS.name(), w)));
        }
        return out;
    }

    private static List<ConsumerRecord<String, byte[]>> toConsumerRecords(List<ProducerRecord<String, byte[]>> records) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            out.add(new ConsumerRecord<>(records.get(i).topic(), 0, i, records.get(i).key(), records.get(i).value()));
        }
        return out;
    }

    private static List<LegMovementEvent> movements(List<Scored> scored) {
        List<LegMovementEvent> out = new ArrayList<>();
        for (Scored s : scored) {
            for (ProducerRecord<String, byte[]> p : s.records()) {
                if (p.topic().equals(Topics.LEG_EVENTS.name())) {
                    out.add(Topics.LEG_EVENTS.valueSerde().deserializer().deserialize(p.topic(), p.value()));
                }
            }
        }
        return out;
    }

    private void assertEveryEventOnceAsUninterrupted(List<ProducerRecord<String, byte[]>> first,
            List<ProducerRecord<String, byte[]>> second, int expected) {
        List<StageEvent> got = readAll(Topics.STAGE_EVENTS);
        Map<String, StageEvent> byKey = new HashMap<>();
        for (StageEvent e : got) {
            assertThat(byKey.put(e.bedId() + "#" + e.epochIndex(), e)).as("duplicate %s#%d", e.bedId(), e.epochIndex()).isNull();
        }
        List<StageEvent> want = uninterrupted(first, second);
        Set<String> missing = new java.util.TreeSet<>();
        want.forEach(w -> missing.add(w.bedId() + "#" + w.epochIndex()));
        missing.removeAll(byKey.keySet());
        assertThat(missing).as("epochs without a stage event").isEmpty();
        assertThat(got).hasSize(want.size()).hasSize(expected);
        for (StageEvent w : want) {
            StageEvent g = byKey.get(w.bedId() + "#" + w.epochIndex());
            assertThat(g).as("event for %s#%d", w.bedId(), w.epochIndex()).isNotNull();
            StageLaneTest.assertSame(g, w);
        }
    }

    /**
     * Runs {@link RestartChild} (args after the bootstrap servers) in its own JVM, logging to target/{@code logName},
     * and kills it (SIGKILL) once at least {@code n} stage events are committed; returns how many were seen.
     */
    private int killChildAfter(int n, String logName, String... childArgs) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-Dlog4j2.level=INFO", "-cp", System.getProperty("java.class.path"), RestartChild.class.getName(),
                kafka.bootstrapServers()));
        cmd.addAll(List.of(childArgs));
        Process child = new ProcessBuilder(cmd).directory(new File("").getAbsoluteFile()).redirectErrorStream(true)
                .redirectOutput(new File("target", logName)).start();
        try {
            return awaitAtLeast(Topics.STAGE_EVENTS, n, child, logName);
        } finally {
            child.destroyForcibly();
            child.waitFor();
        }
    }

    private static ProducerRecord<String, byte[]> onPartitionZero(ProducerRecord<String, byte[]> r) {
        return new ProducerRecord<>(r.topic(), 0, r.key(), r.value());
    }

    /** What an uninterrupted run produces: the same lane fed every epoch once, in order. */
    private List<StageEvent> uninterrupted(List<ProducerRecord<String, byte[]>> first,
            List<ProducerRecord<String, byte[]>> second) {
        StageLane lane = new StageLane(stager(), 3, new SimpleMeterRegistry());
        List<StageEvent> out = new ArrayList<>();
        long offset = 0;
        List<ProducerRecord<String, byte[]>> all = new ArrayList<>(first);
        all.addAll(second);
        for (ProducerRecord<String, byte[]> r : all) {
            for (Scored s : lane.score(List.of(new ConsumerRecord<>(r.topic(), 0, offset++, r.key(), r.value())), Instant.now())) {
                for (ProducerRecord<String, byte[]> p : s.records()) {
                    if (p.topic().equals(Topics.STAGE_EVENTS.name())) {
                        out.add(Topics.STAGE_EVENTS.valueSerde().deserializer().deserialize(p.topic(), p.value()));
                    }
                }
            }
        }
        return out;
    }

    private static ProducerRecord<String, byte[]> epoch(String bed, long index, boolean flat) {
        return new ProducerRecord<>(Topics.EEG_EPOCHS.name(), bed, WindowCodecs.encodeEpoch(TestEpochs.epoch(bed, index, flat)));
    }

    /** Sends the input, every send checked and one request in flight ({@link TestProducer} says why). */
    private void produce(List<ProducerRecord<String, byte[]>> records) {
        try (TestProducer producer = TestProducer.to(kafka.bootstrapServers())) {
            producer.sendAll(records);
        }
    }

    /** Polls (no sleeping) until the group's committed offsets reach the end of the input topic. */
    private void awaitAllInputCommitted(InferenceService s) {
        GroupProgress.at(kafka.bootstrapServers()).awaitCaughtUp(InferenceConfig.GROUP_ID,
                kafka.settledEndOffsets(Topics.EEG_EPOCHS.name(), DEADLINE), DEADLINE,
                () -> assertThat(s.failure()).as("service failure").isNull());
    }

    private int awaitAtLeast(Topic<String, ?> topic, int n, Process child, String logName) {
        Topic<String, byte[]> raw = new Topic<>(topic.name(), Serdes.String(), Serdes.ByteArray(), false);
        int seen = TopicReader.at(kafka.bootstrapServers()).awaitRecords(raw, records -> {
            assertThat(child.isAlive()).as("child JVM alive (see target/%s)", logName).isTrue();
            return records.size() >= n;
        }, CHILD_DEADLINE).size();
        org.slf4j.LoggerFactory.getLogger(InferenceServiceIT.class).info("killing the child after {} committed events", seen);
        return seen;
    }

    private <T> List<T> readAll(Topic<String, T> topic) {
        return TopicReader.at(kafka.bootstrapServers()).values(topic, kafka.settledEndOffsets(topic.name(), DEADLINE));
    }
}
