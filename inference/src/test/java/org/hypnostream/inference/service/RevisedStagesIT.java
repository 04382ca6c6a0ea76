package org.hypnostream.inference.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.hypnostream.broker.EmbeddedKafka;
import org.hypnostream.common.event.RescoreRequest;
import org.hypnostream.common.event.RevisedHypnogram;
import org.hypnostream.common.event.Stage;
import org.hypnostream.common.event.StageEvent;
import org.hypnostream.common.study.StudyEvent;
import org.hypnostream.common.study.StudyEventType;
import org.hypnostream.common.time.Micros;
import org.hypnostream.common.topic.Topic;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.common.wire.Epoch;
import org.hypnostream.common.wire.WindowCodecs;
import org.hypnostream.inference.runtime.ModelRegistry;
import org.hypnostream.inference.stage.SequenceStager;
import org.hypnostream.inference.stage.StageResult;
import org.hypnostream.testkit.GroupProgress;
import org.hypnostream.testkit.TestProducer;
import org.hypnostream.testkit.TopicReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The morning re-score on a real in-process KRaft broker: the inference service with stager v3 reads lights-on from
 * study-events.v1 and publishes one revised hypnogram on revised-stages.v1 with one entry per epoch of the night,
 * equal to the re-score run offline on the same epochs; damaged epochs keep the live treatment; a restart does not
 * publish it again; live stage events are untouched. With stager v2 (no re-score graph) an on-demand request is
 * answered by a dead letter naming why.
 */
class RevisedStagesIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final int EPOCHS = 40;
    private static final int NIGHT = 30; // lights-on at the start of epoch 30
    private static final Instant SESSION = Micros.toInstant(TestEpochs.SESSION_START_MICROS);

    @TempDir
    Path dir;
    private EmbeddedKafka kafka;
    private ModelRegistry models;
    private SequenceStager stager;

    @BeforeEach
    void up() {
        kafka = EmbeddedKafka.start(dir.resolve("kafka"));
        kafka.createTopics(2);
        models = ModelRegistry.load(Path.of("../models"), "cpu");
        stager = (SequenceStager) new SequenceStagerFactory().create(models.require("stager-features-welch-gru-v3"));
    }

    @AfterEach
    void down() {
        models.close();
        kafka.close();
    }

    private static boolean damaged(String bed, long i) {
        return bed.equals("bed-a") && (i == 0 || i == 11 || i == 12);
    }

    private InferenceService start() {
        InferenceConfig cfg = new InferenceConfig(kafka.bootstrapServers(), Path.of("../models"), "cpu", "it-r", 16,
                Duration.ofMillis(10), 1000, 3, -1, 1);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        return InferenceService.start(cfg, List.of(new StageLane(stager, 3, registry),
                new RevisedLane(stager, new KafkaNightSource(cfg, DEADLINE)),
                new RescoreRequestLane(stager, new KafkaNightSource(cfg, DEADLINE))), registry, InstantSource.system());
    }

    @Test
    void lightsOnPublishesTheRevisedNightOnceEqualToTheOfflineRescore() throws Exception {
        List<ProducerRecord<String, byte[]>> epochs = new ArrayList<>();
        List<Epoch> nightA = new ArrayList<>();
        for (int i = 0; i < EPOCHS; i++) {
            for (String bed : List.of("bed-a", "bed-b")) {
                Epoch e = TestEpochs.epoch(bed, i, damaged(bed, i));
                epochs.add(new ProducerRecord<>(Topics.EEG_EPOCHS.name(), bed, WindowCodecs.encodeEpoch(e)));
                if (bed.equals("bed-a") && i < NIGHT) {
                    nightA.add(e);
                }
            }
        }
        produce(epochs);
        Instant lightsOn = SESSION.plus(Duration.ofSeconds(30L * NIGHT));
        produce(List.of(study(StudyMarks.admitted("m1", "bed-a", "study-a", SESSION)),
                study(StudyMarks.admitted("m2", "bed-b", "study-b", SESSION)),
                study(StudyMarks.mark("m3", "bed-a", "study-a", StudyEventType.LIGHTS_OFF, SESSION.plusSeconds(60))),
                study(StudyMarks.mark("m4", "bed-a", "study-a", StudyEventType.LIGHTS_ON, lightsOn, Instant.now()))));

        try (InferenceService s = start()) {
            awaitCommitted(s, Topics.EEG_EPOCHS.name());
            awaitCommitted(s, Topics.STUDY_EVENTS.name());
        }
        List<RevisedHypnogram> revised = readAll(Topics.REVISED_STAGES);
        assertThat(revised).hasSize(1);
        RevisedHypnogram h = revised.get(0);
        assertThat(h.bedId()).isEqualTo("bed-a");
        assertThat(h.studyId()).isEqualTo("study-a");
        assertThat(h.triggerEventId()).isEqualTo("m4");
        assertThat(h.nonCausal()).isTrue();
        assertThat(h.label()).isEqualTo("revised (non-causal, morning re-score)");
        assertThat(h.provenance().modelId()).isEqualTo("stager-features-welch-gru-v3");
        assertThat(h.provenance().modelSha256()).isEqualTo(stager.modelSha256());
        assertThat(h.epochs()).extracting(RevisedHypnogram.RevisedEpoch::epochIndex)
                .containsExactlyElementsOf(java.util.stream.LongStream.range(0, NIGHT).boxed().toList());

        List<StageResult> offline = stager.reviseNight(nightA);
        for (int i = 0; i < NIGHT; i++) {
            RevisedHypnogram.RevisedEpoch got = h.epochs().get(i);
            assertThat(got.stage()).as("epoch %d", i).isEqualTo(offline.get(i).stage());
            assertThat(got.probabilities()).as("epoch %d", i).isEqualTo(offline.get(i).probabilities());
            assertThat(got.fromPriorOnly()).as("epoch %d", i).isEqualTo(offline.get(i).fromPriorOnly());
        }
        // damaged epochs: UNSCORED where the live path is (no prior epoch), from prior epochs only as live
        Map<Long, StageEvent> live = new HashMap<>();
        readAll(Topics.STAGE_EVENTS).stream().filter(e -> e.bedId().equals("bed-a")).forEach(e -> live.put(e.epochIndex(), e));
        assertThat(live).hasSize(EPOCHS);
        assertThat(live.get(0L).stage()).isEqualTo(Stage.UNSCORED);
        assertThat(h.epochs().get(0).stage()).isEqualTo(Stage.UNSCORED);
        assertThat(h.epochs().get(0).reason()).contains("FLAT");
        for (long i : new long[] {11, 12}) {
            assertThat(live.get(i).fromPriorOnly()).isTrue();
            assertThat(h.epochs().get((int) i).fromPriorOnly()).isTrue();
            assertThat(h.epochs().get((int) i).stage()).isEqualTo(live.get(i).stage());
        }
        assertThat(h.epochs()).filteredOn(e -> !damaged("bed-a", e.epochIndex()))
                .allSatisfy(e -> assertThat(e.stage()).isNotEqualTo(Stage.UNSCORED));

        // a restart (same instance) finds the mark committed with the revised record: nothing is published again
        produce(List.of(study(StudyMarks.mark("m5", "bed-a", "study-a", StudyEventType.ENDED, lightsOn.plusSeconds(60)))));
        try (InferenceService s = start()) {
            awaitCommitted(s, Topics.STUDY_EVENTS.name());
        }
        assertThat(readAll(Topics.REVISED_STAGES)).hasSize(1);
        assertThat(readAll(Topics.STAGE_EVENTS)).hasSize(2 * EPOCHS);
    }

    @Test
    void anOnDemandRequestRescoresTheFinishedStretchOnce() throws Exception {
        List<ProducerRecord<String, byte[]>> epochs = new ArrayList<>();
        List<Epoch> stretchB = new ArrayList<>();
        for (int i = 0; i < EPOCHS; i++) {
            for (String bed : List.of("bed-a", "bed-b")) {
                Epoch e = TestEpochs.epoch(bed, i, damaged(bed, i));
                epochs.add(new ProducerRecord<>(Topics.EEG_EPOCHS.name(), bed, WindowCodecs.encodeEpoch(e)));
                if (bed.equals("bed-b") && i >= 5 && i < 25) {
                    stretchB.add(e);
                }
            }
        }
        produce(epochs);
        Instant now = Instant.now();
        RescoreRequest asked = new RescoreRequest("q-1", "bed-b", "study-b", SESSION.plusSeconds(30 * 5),
                SESSION.plusSeconds(30 * 25), "tech", now);
        RescoreRequest old = new RescoreRequest("q-0", "bed-a", "study-a", SESSION, SESSION.plusSeconds(300), "tech",
                now.minus(Duration.ofDays(2)));
        produce(List.of(request(old), request(asked),
                new ProducerRecord<>(Topics.RESCORE_REQUESTS.name(), "bed-a", "{\"requestId\":".getBytes())));

        try (InferenceService s = start()) {
            awaitCommitted(s, Topics.EEG_EPOCHS.name());
            awaitCommitted(s, Topics.RESCORE_REQUESTS.name());
        }
        List<RevisedHypnogram> revised = readAll(Topics.REVISED_STAGES);
        assertThat(revised).as("one answer: the old request is history, the garbage a dead letter").hasSize(1);
        RevisedHypnogram h = revised.get(0);
        assertThat(h.bedId()).isEqualTo("bed-b");
        assertThat(h.studyId()).isEqualTo("study-b");
        assertThat(h.triggerEventId()).isEqualTo("q-1");
        assertThat(h.nonCausal()).isTrue();
        assertThat(h.from()).isEqualTo(asked.from());
        assertThat(h.until()).isEqualTo(asked.until());
        assertThat(h.epochs()).extracting(RevisedHypnogram.RevisedEpoch::epochIndex)
                .containsExactlyElementsOf(java.util.stream.LongStream.range(5, 25).boxed().toList());
        List<StageResult> offline = stager.reviseNight(stretchB);
        for (int i = 0; i < stretchB.size(); i++) {
            assertThat(h.epochs().get(i).stage()).as("epoch %d", i + 5).isEqualTo(offline.get(i).stage());
            assertThat(h.epochs().get(i).probabilities()).as("epoch %d", i + 5).isEqualTo(offline.get(i).probabilities());
        }
        assertThat(readAll(Topics.DEAD_LETTER)).singleElement()
                .satisfies(d -> assertThat(d.reason()).startsWith("undecodable re-score request"));
        assertThat(readAll(Topics.STAGE_EVENTS)).as("live scoring untouched").hasSize(2 * EPOCHS);

        // a restart finds the requests committed with their answer: nothing is published again
        try (InferenceService s = start()) {
            awaitCommitted(s, Topics.RESCORE_REQUESTS.name());
        }
        assertThat(readAll(Topics.REVISED_STAGES)).hasSize(1);
    }

    @Test
    void aStagerWithoutReScoreAnswersARequestWithADeadLetterNamingTheReason() throws Exception {
        RescoreRequest asked = new RescoreRequest("q-2", "bed-b", "study-b", SESSION, SESSION.plusSeconds(600), "tech",
                Instant.now());
        produce(List.of(request(asked)));
        InferenceConfig cfg = new InferenceConfig(kafka.bootstrapServers(), Path.of("../models"), "cpu", "it-v2", 16,
                Duration.ofMillis(10), 1000, 3, -1, 1).withStagerModel("stager-features-welch-hmm-v2");
        try (InferenceMain m = InferenceMain.start(cfg)) {
            awaitCommitted(m.service(), Topics.RESCORE_REQUESTS.name());
        }
        assertThat(readAll(Topics.REVISED_STAGES)).as("nothing to re-score with").isEmpty();
        assertThat(readAll(Topics.DEAD_LETTER)).singleElement().satisfies(d -> {
            assertThat(d.key()).isEqualTo("bed-b");
            assertThat(d.sourceTopic()).isEqualTo(Topics.RESCORE_REQUESTS.name());
            assertThat(d.reason()).contains("re-score request not answered")
                    .contains("stager-features-welch-hmm-v2 has no morning re-score");
        });
    }

    private static ProducerRecord<String, byte[]> request(RescoreRequest q) {
        return new ProducerRecord<>(Topics.RESCORE_REQUESTS.name(), q.bedId(),
                Topics.RESCORE_REQUESTS.valueSerde().serializer().serialize(Topics.RESCORE_REQUESTS.name(), q));
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

    /** Polls (no sleeping) until the committed offsets of the group reading the topic reach its end. */
    private void awaitCommitted(InferenceService s, String topic) {
        boolean rescore = topic.equals(Topics.STUDY_EVENTS.name()) || topic.equals(Topics.RESCORE_REQUESTS.name());
        GroupProgress.at(kafka.bootstrapServers()).awaitCaughtUp(rescore ? Loop.RESCORE.groupId() : Loop.LIVE.groupId(),
                kafka.settledEndOffsets(topic, DEADLINE), DEADLINE,
                () -> assertThat(s.failure()).as("service failure").isNull());
    }

    private <T> List<T> readAll(Topic<String, T> topic) {
        return TopicReader.at(kafka.bootstrapServers()).values(topic, kafka.settledEndOffsets(topic.name(), DEADLINE));
    }
}
