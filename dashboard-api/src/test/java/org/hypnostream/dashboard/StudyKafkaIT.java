package org.hypnostream.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.hypnostream.broker.EmbeddedKafka;
import org.hypnostream.common.event.StageEvent;
import org.hypnostream.common.study.BedsideEvent;
import org.hypnostream.common.study.EpochStage;
import org.hypnostream.common.study.SleepStatistics;
import org.hypnostream.common.study.StudyEvent;
import org.hypnostream.common.study.StudyEventType;
import org.hypnostream.common.study.StudyLifecycle;
import org.hypnostream.common.topic.Topic;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.dashboard.export.NightExporter;
import org.hypnostream.testkit.TopicReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A synthetic study night against a real in-process KRaft broker: admitted, lights-off, three bedside events,
 * lights-on and ended through the dashboard's REST; the statistics it shows equal those computed offline from the
 * stage events and the marks read back from study-events.v1; a restarted dashboard shows the same.
 */
@ExtendWith(VertxExtension.class)
class StudyKafkaIT {
    static final int EPOCHS = 120;
    @TempDir
    Path dir;
    EmbeddedKafka kafka;
    DashboardServer server;

    @BeforeEach
    void broker() {
        kafka = EmbeddedKafka.start(dir.resolve("kafka"));
        kafka.createTopics(2);
    }

    @AfterEach
    void close() {
        if (server != null) {
            server.close().await();
        }
        kafka.close();
    }

    static String at(long seconds) {
        return TestEvents.START.plusSeconds(seconds).toString();
    }

    /**
     * Reads ward-a's messages until bed-1's night holds all epochs, its study is in {@code state} (null = none) and it
     * has {@code bedside} events; returns the statistics last shown. Blocks on the socket: no sleeping.
     */
    static JsonObject awaitNight(WsClient c, String state, int bedside) throws InterruptedException {
        Set<Long> epochs = new HashSet<>();
        String st = null;
        Set<String> events = new HashSet<>();
        JsonObject stats = null;
        while (epochs.size() < EPOCHS || !java.util.Objects.equals(state, st) || events.size() < bedside || stats == null) {
            JsonObject m = c.next();
            if (m.getString("type").equals("snapshot")) {
                for (Object o : m.getJsonArray("beds")) {
                    JsonObject n = (JsonObject) o;
                    if (n.getString("bed").equals("bed-1")) {
                        n.getJsonArray("stages").forEach(s -> epochs.add(((JsonObject) s).getLong("i")));
                        st = n.getJsonObject("study") == null ? null : n.getJsonObject("study").getString("state");
                        n.getJsonArray("bedside").forEach(b -> events.add(((JsonObject) b).getString("id")));
                        stats = n.getJsonObject("statistics");
                    }
                }
            } else if (m.getString("type").equals("update") && m.getString("bed").equals("bed-1")) {
                JsonObject d = m.getJsonObject("data");
                switch (m.getString("kind")) {
                    case "stage" -> epochs.add(d.getLong("i"));
                    case "study" -> st = d.getString("state");
                    case "bedside" -> events.add(d.getString("id"));
                    default -> { }
                }
                if (m.containsKey("statistics")) {
                    stats = m.getJsonObject("statistics");
                }
            }
        }
        return stats;
    }

    @Test
    void aStudyNightsStatisticsEqualTheOfflineOnesAndSurviveARestart(Vertx vertx) throws Exception {
        List<StageEvent> stages = new ArrayList<>();
        for (long i = 0; i < EPOCHS; i++) {
            stages.add(TestEvents.stage("bed-1", i));
        }
        List<Object> input = new ArrayList<>();
        input.add(TestEvents.bed("bed-1", "ward-a"));
        input.addAll(stages);
        try (TransactionalInput in = TransactionalInput.open(kafka.bootstrapServers(), "study-it-producer")) {
            in.commit(input.toArray());
        }
        DashboardConfig cfg = DashboardConfig.of(kafka.bootstrapServers(), TestUsers.write(dir), 0);
        server = DashboardServer.start(vertx, cfg).await();
        Http http = new Http(vertx, server.port());
        String nurse = http.login("nurse", TestUsers.PASSWORD);
        String tech = http.login("tech", TestUsers.PASSWORD);
        WsClient ward = WsClient.connect(vertx, server.port(), "ward=ward-a", nurse);
        JsonObject before = awaitNight(ward, null, 0);
        assertThat(before.getString("study_state")).isEqualTo("NONE");
        assertThat(before.getBoolean("lights_off_assumed")).isTrue();

        String b = "/api/beds/bed-1";
        JsonObject admit = new JsonObject().put("studyId", "S-IT-1").put("patientRef", "P-7781").put("protocol", "DIAGNOSTIC_PSG")
                .put("population", "ADULT").put("ruleSet", "AASM").put("at", at(-120));
        assertThat(http.call(HttpMethod.POST, b + "/study/admit", tech, admit.encode()).status()).isEqualTo(201);
        assertThat(http.call(HttpMethod.POST, b + "/study/lights-off", nurse, "{\"at\":\"" + at(300) + "\"}").status()).isEqualTo(201);
        assertThat(http.call(HttpMethod.POST, b + "/events", nurse,
                "{\"type\":\"POSITION_CHANGE\",\"position\":\"SUPINE\",\"at\":\"" + at(600) + "\"}").status()).isEqualTo(201);
        assertThat(http.call(HttpMethod.POST, b + "/events", nurse,
                "{\"type\":\"ELECTRODE_FIX\",\"text\":\"C4 re-gelled\",\"at\":\"" + at(1500) + "\"}").status()).isEqualTo(201);
        assertThat(http.call(HttpMethod.POST, b + "/events", nurse,
                "{\"type\":\"BATHROOM_BREAK\",\"at\":\"" + at(2400) + "\"}").status()).isEqualTo(201);
        assertThat(http.call(HttpMethod.POST, b + "/study/lights-on", nurse, "{\"at\":\"" + at(3300) + "\"}").status()).isEqualTo(201);
        assertThat(http.call(HttpMethod.POST, b + "/study/end", tech, "{\"at\":\"" + at(3400) + "\"}").status()).isEqualTo(201);
        ward.close();
        WsClient after = WsClient.connect(vertx, server.port(), "ward=ward-a", nurse); // a fresh snapshot of the whole night
        JsonObject live = awaitNight(after, "ENDED", 3);
        after.close();
        JsonObject shown = http.call(HttpMethod.GET, b + "/statistics", nurse, null).json().getJsonObject("statistics");
        assertThat(shown).isEqualTo(live);

        // offline: the marks as they are on study-events.v1 / bedside-events.v1, the stage events as produced
        List<StudyEvent> marks = readAll(Topics.STUDY_EVENTS);
        List<BedsideEvent> bedside = readAll(Topics.BEDSIDE_EVENTS);
        assertThat(marks).extracting(StudyEvent::type).containsExactly(StudyEventType.ADMITTED, StudyEventType.LIGHTS_OFF,
                StudyEventType.LIGHTS_ON, StudyEventType.ENDED);
        assertThat(marks).extracting(StudyEvent::user).containsExactly("tech", "nurse", "nurse", "tech");
        assertThat(bedside).extracting(e -> e.describe()).containsExactly("Position change supine",
                "Electrode fix / impedance check: C4 re-gelled", "Bathroom break");
        StudyLifecycle offline = new StudyLifecycle("bed-1");
        marks.forEach(offline::apply);
        SleepStatistics expected = SleepStatistics.compute(stages.stream().map(EpochStage::of).toList(),
                offline.current().orElseThrow(), List.of());
        assertThat(shown).isEqualTo(new JsonObject(expected.toMap()));
        // and they are what TestEvents' cycle gives between 22:05 and 22:55: a sanity check that the window moved
        assertThat(shown.getDouble("trt_min")).isEqualTo(50.0);
        assertThat(shown.getBoolean("lights_off_assumed")).isFalse();
        assertThat(shown.getDouble("tst_min")).isPositive().isLessThan(50.0);
        assertThat(shown.getInteger("unscored_epochs")).isPositive();

        server.close().await();
        server = DashboardServer.start(vertx, cfg).await();
        http = new Http(vertx, server.port());
        nurse = http.login("nurse", TestUsers.PASSWORD);
        WsClient again = WsClient.connect(vertx, server.port(), "ward=ward-a", nurse);
        assertThat(awaitNight(again, "ENDED", 3)).as("rebuilt from the topics after a restart").isEqualTo(shown);
        again.close();
        assertThat(http.call(HttpMethod.GET, b + "/statistics", nurse, null).json().getJsonObject("statistics")).isEqualTo(shown);
        server.close().await();
        server = null;

        Path edf = dir.resolve("bed-1.edf");
        NightExporter.export(kafka.bootstrapServers(), "bed-1", edf, Duration.ofSeconds(60));
        String body = new String(java.nio.file.Files.readAllBytes(edf), StandardCharsets.UTF_8);
        assertThat(body).contains("Lights off").contains("Lights on").contains("Bedside: Bathroom break (nurse)")
                .doesNotContain("P-7781");
    }

    /** Every record of a topic from the beginning to its current end (read_committed), checking the key is the bed. */
    <T> List<T> readAll(Topic<String, T> topic) {
        return readAllFrom(kafka, topic);
    }

    <T> List<T> readAllFrom(EmbeddedKafka kafka, Topic<String, T> topic) {
        List<T> out = new ArrayList<>();
        for (ConsumerRecord<String, T> r : TopicReader.at(kafka.bootstrapServers()).records(topic,
                kafka.settledEndOffsets(topic.name(), Duration.ofSeconds(30)))) {
            assertThat(r.key()).isEqualTo("bed-1");
            out.add(r.value());
        }
        return out;
    }
}
