package org.hypnostream.inference.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.File;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.hypnostream.broker.EmbeddedKafka;
import org.hypnostream.common.config.KafkaClients;
import org.hypnostream.common.event.RescoreRequest;
import org.hypnostream.common.event.RevisedHypnogram;
import org.hypnostream.common.event.StageEvent;
import org.hypnostream.common.study.StudyEvent;
import org.hypnostream.common.study.StudyEventType;
import org.hypnostream.common.time.Micros;
import org.hypnostream.common.topic.Topic;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.common.wire.WindowCodecs;
import org.hypnostream.inference.runtime.ModelRegistry;
import org.hypnostream.testkit.GroupProgress;
import org.hypnostream.testkit.TestProducer;
import org.hypnostream.testkit.TopicReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The re-score loop apart from the live loop (ADR 0022), on a real in-process KRaft broker: live stage events keep
 * coming while a morning re-score is held in progress, and its revised hypnogram comes once it is released; a kill
 * while a re-score is in progress yields each revised hypnogram once after the restart; an upgrade from the single
 * loop (whose group committed the re-score topics) neither repeats nor skips a pending mark or request.
 */
class RescoreLoopIT {
    private static final Duration DEADLINE = Duration.ofSeconds(45);
    /** A fresh JVM loading Kafka and ONNX Runtime on a loaded 2-core CI box can take long to start. */
    private static final Duration CHILD_DEADLINE = Duration.ofSeconds(120);
    private static final Instant SESSION = Micros.toInstant(TestEpochs.SESSION_START_MICROS);

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

    private InferenceConfig config(String instance) {
        return new InferenceConfig(kafka.bootstrapServers(), TestStager.GOOD_MODELS, "cpu", instance, 16,
                Duration.ofMillis(10), 1000, 3, -1, 1);
    }

    private InferenceService start(String instance, HeldNight night) {
        return start(instance, night, new SimpleMeterRegistry());
    }

    private InferenceService start(String instance, HeldNight night, SimpleMeterRegistry registry) {
        NightRescorer rescorer = night.rescorer();
        return InferenceService.start(config(instance), List.of(
                new StageLane(new TestStager(models.require("linear-stager-test")), 3, registry),
                new RevisedLane(rescorer), new RescoreRequestLane(rescorer)), registry, InstantSource.system());
    }

    @Test
    void liveStageEventsKeepComingWhileAMorningReScoreIsHeld() throws Exception {
        HeldNight night = new HeldNight(Set.of("bed-r"), 12, DEADLINE.multipliedBy(2));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        produce(List.of(study(StudyMarks.admitted("r1", "bed-r", "study-r", SESSION)),
                study(StudyMarks.mark("r2", "bed-r", "study-r", StudyEventType.LIGHTS_ON, SESSION.plusSeconds(360),
                        Instant.now()))));
        try (InferenceService s = start("it-held", night, registry)) {
            assertThat(night.awaitEntered(DEADLINE)).as("the re-score of bed-r started").isTrue();
            List<ProducerRecord<String, byte[]>> live = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                live.add(epoch("bed-a", i));
                live.add(epoch("bed-b", i));
            }
            long produced = System.nanoTime();
            produce(live);
            // every live epoch gets its stage event while the re-score is still held
            List<StageEvent> events = TopicReader.at(kafka.bootstrapServers()).awaitValues(Topics.STAGE_EVENTS,
                    got -> {
                        assertThat(s.failure()).as("service failure").isNull();
                        return got.size() >= live.size();
                    }, DEADLINE);
            assertThat(night.isReleased()).isFalse();
            System.out.printf("rescore-loop: %d of %d live stage events committed while the re-score was held, %d ms "
                    + "after the epochs were produced (measured, not asserted)%n", events.size(), live.size(),
                    (System.nanoTime() - produced) / 1_000_000);
            assertThat(events.stream().map(e -> e.bedId() + "#" + e.epochIndex()).collect(Collectors.toSet()))
                    .hasSize(20);
            assertThat(TopicReader.at(kafka.bootstrapServers()).valuesNow(Topics.REVISED_STAGES))
                    .as("nothing revised while held").isEmpty();

            night.release();
            List<RevisedHypnogram> revised = TopicReader.at(kafka.bootstrapServers()).awaitValues(
                    Topics.REVISED_STAGES, got -> {
                        assertThat(s.failure()).as("service failure").isNull();
                        return !got.isEmpty();
                    }, DEADLINE);
            assertThat(revised).singleElement().satisfies(h -> {
                assertThat(h.bedId()).isEqualTo("bed-r");
                assertThat(h.triggerEventId()).isEqualTo("r2");
                assertThat(h.epochs()).hasSize(12);
            });
            awaitCommitted(s, InferenceConfig.GROUP_ID, Topics.EEG_EPOCHS.name());
            awaitCommitted(s, InferenceConfig.RESCORE_GROUP_ID, Topics.STUDY_EVENTS.name());
            assertThat(registry.get("hypnostream.inference.loop.transaction").tag("loop", "rescore").timer().count())
                    .isPositive();
            assertThat(registry.get("hypnostream.inference.loop.transaction").tag("loop", "live").timer().count())
                    .isPositive();
        } finally {
            night.release();
        }
        assertThat(readAll(Topics.STAGE_EVENTS)).hasSize(20);
        assertThat(readAll(Topics.REVISED_STAGES)).hasSize(1);
    }

    @Test
    void aKillDuringAHeldReScoreYieldsEachRevisedHypnogramOnceAfterTheRestart() throws Exception {
        produce(List.of(study(StudyMarks.admitted("k1", "bed-1", "study-1", SESSION)),
                study(StudyMarks.admitted("k2", RescoreKillChild.HELD_BED, "study-h", SESSION)),
                study(StudyMarks.mark("k3", "bed-1", "study-1", StudyEventType.LIGHTS_ON, SESSION.plusSeconds(360),
                        Instant.now()))));
        Path marker = dir.resolve("held");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-Dlog4j2.level=INFO", "-cp", System.getProperty("java.class.path"), RescoreKillChild.class.getName(), kafka.bootstrapServers(),
                "it-kill", marker.toString());
        Process child = new ProcessBuilder(cmd).directory(new File("").getAbsoluteFile()).redirectErrorStream(true)
                .redirectOutput(new File("target", "rescore-kill-child.log")).start();
        try {
            TopicReader.at(kafka.bootstrapServers()).awaitRecords(Topics.REVISED_STAGES, got -> {
                assertThat(child.isAlive()).as("child JVM alive (see target/rescore-kill-child.log)").isTrue();
                return !got.isEmpty();
            }, CHILD_DEADLINE);
            produce(List.of(study(StudyMarks.mark("k4", RescoreKillChild.HELD_BED, "study-h", StudyEventType.LIGHTS_ON,
                    SESSION.plusSeconds(360), Instant.now()))));
            awaitFile(marker, child);
        } finally {
            child.destroyForcibly(); // SIGKILL while the re-score of bed-held is in progress
            child.waitFor();
        }
        assertThat(TopicReader.at(kafka.bootstrapServers()).valuesNow(Topics.REVISED_STAGES))
                .extracting(RevisedHypnogram::triggerEventId).containsExactly("k3");

        try (InferenceService s = start("it-kill", new HeldNight(Set.of(), 12, DEADLINE))) {
            awaitCommitted(s, InferenceConfig.RESCORE_GROUP_ID, Topics.STUDY_EVENTS.name());
        }
        assertThat(readAll(Topics.REVISED_STAGES)).extracting(RevisedHypnogram::triggerEventId)
                .as("each lights-on once: k3 not again, k4 after the restart").containsExactlyInAnyOrder("k3", "k4");
    }

    @Test
    void anUpgradeFromTheSingleLoopNeitherRepeatsNorSkipsAMarkOrARequest() throws Exception {
        Instant now = Instant.now();
        produce(List.of(study(StudyMarks.admitted("u1", "bed-u", "study-u", SESSION)),
                study(StudyMarks.admitted("u2", "bed-v", "study-v", SESSION.plusSeconds(30))),
                study(StudyMarks.mark("u3", "bed-u", "study-u", StudyEventType.LIGHTS_ON, SESSION.plusSeconds(360), now)),
                request(new RescoreRequest("q-old", "bed-u", "study-u", SESSION, SESSION.plusSeconds(300), "tech", now))));
        // what the single loop (group hypnostream-inference) had committed when it was stopped for the upgrade
        Map<TopicPartition, OffsetAndMetadata> handled = new HashMap<>();
        for (String topic : List.of(Topics.STUDY_EVENTS.name(), Topics.RESCORE_REQUESTS.name())) {
            kafka.settledEndOffsets(topic, DEADLINE).forEach((tp, end) -> handled.put(tp, new OffsetAndMetadata(end)));
        }
        try (KafkaConsumer<String, byte[]> single = new KafkaConsumer<>(KafkaClients.groupReader(
                KafkaClients.client(kafka.bootstrapServers(), Map.of()), InferenceConfig.GROUP_ID, null, "single-loop"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            single.commitSync(handled);
        }
        produce(List.of(study(StudyMarks.mark("u4", "bed-v", "study-v", StudyEventType.LIGHTS_ON, SESSION.plusSeconds(390),
                now)), request(new RescoreRequest("q-new", "bed-u", "study-u", SESSION, SESSION.plusSeconds(300), "tech",
                        now))));

        try (InferenceService s = start("it-upgrade", new HeldNight(Set.of(), 12, DEADLINE))) {
            awaitCommitted(s, InferenceConfig.RESCORE_GROUP_ID, Topics.STUDY_EVENTS.name());
            awaitCommitted(s, InferenceConfig.RESCORE_GROUP_ID, Topics.RESCORE_REQUESTS.name());
        }
        List<RevisedHypnogram> revised = readAll(Topics.REVISED_STAGES);
        assertThat(revised).extracting(RevisedHypnogram::triggerEventId).as("the marks pending at the upgrade, once")
                .containsExactlyInAnyOrder("u4", "q-new");
        // the admission before the handover offset was folded in by the look-back: the night starts at it
        assertThat(revised).filteredOn(h -> h.triggerEventId().equals("u4")).singleElement()
                .satisfies(h -> assertThat(h.from()).isEqualTo(SESSION.plusSeconds(30)));
    }

    /** Waits (watching the folder, no sleeping) until {@code file} exists, the child alive. */
    private static void awaitFile(Path file, Process child) throws Exception {
        long until = System.nanoTime() + CHILD_DEADLINE.toNanos();
        try (WatchService watch = FileSystems.getDefault().newWatchService()) {
            file.getParent().register(watch, StandardWatchEventKinds.ENTRY_CREATE);
            while (!Files.exists(file)) {
                assertThat(child.isAlive()).as("child JVM alive (see target/rescore-kill-child.log)").isTrue();
                assertThat(System.nanoTime()).as("%s created within %s", file, CHILD_DEADLINE).isLessThan(until);
                WatchKey key = watch.poll(1, TimeUnit.SECONDS);
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                }
            }
        }
    }

    private static ProducerRecord<String, byte[]> request(RescoreRequest q) {
        return new ProducerRecord<>(Topics.RESCORE_REQUESTS.name(), q.bedId(),
                Topics.RESCORE_REQUESTS.valueSerde().serializer().serialize(Topics.RESCORE_REQUESTS.name(), q));
    }

    private static ProducerRecord<String, byte[]> epoch(String bed, long index) {
        return new ProducerRecord<>(Topics.EEG_EPOCHS.name(), bed,
                WindowCodecs.encodeEpoch(TestEpochs.epoch(bed, index, false)));
    }

    private static ProducerRecord<String, byte[]> study(StudyEvent e) {
        return new ProducerRecord<>(Topics.STUDY_EVENTS.name(), e.bedId(),
                Topics.STUDY_EVENTS.valueSerde().serializer().serialize(Topics.STUDY_EVENTS.name(), e));
    }

    /** Sends the input, every send checked and one request in flight ({@link TestProducer} says why). */
    private void produce(List<ProducerRecord<String, byte[]>> records) {
        try (TestProducer producer = TestProducer.to(kafka.bootstrapServers())) {
            producer.sendAll(records);
        }
    }

    /** Polls (no sleeping) until {@code group}'s committed offsets reach the settled end of {@code topic}. */
    private void awaitCommitted(InferenceService s, String group, String topic) {
        GroupProgress.at(kafka.bootstrapServers()).awaitCaughtUp(group, kafka.settledEndOffsets(topic, DEADLINE),
                DEADLINE, () -> assertThat(s.failure()).as("service failure").isNull());
    }

    private <T> List<T> readAll(Topic<String, T> topic) {
        return TopicReader.at(kafka.bootstrapServers()).values(topic, kafka.settledEndOffsets(topic.name(), DEADLINE));
    }
}
