package org.hypnostream.stream.plm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hypnostream.stream.plm.PlmFixtures.leg;
import static org.hypnostream.stream.plm.PlmFixtures.stage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.hypnostream.common.event.Alert;
import org.hypnostream.common.event.AlertAction;
import org.hypnostream.common.event.AlertPriority;
import org.hypnostream.common.event.AlertState;
import org.hypnostream.common.event.BedInfo;
import org.hypnostream.common.event.DeadLetter;
import org.hypnostream.common.event.LegSide;
import org.hypnostream.common.event.PlmEvent;
import org.hypnostream.common.event.Stage;
import org.hypnostream.common.time.ManualClock;
import org.hypnostream.common.time.Micros;
import org.hypnostream.common.topic.Topic;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.common.wire.LegWindow;
import org.hypnostream.common.wire.QualityFlag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlmTopologyTest {
    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(Instant.parse("2026-03-02T01:00:00Z"));
    private TopologyTestDriver driver;
    private TestOutputTopic<String, PlmEvent> plm;
    private TestOutputTopic<String, Alert> alerts;
    private TestOutputTopic<String, DeadLetter> dead;

    @BeforeEach
    void start() throws Exception {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "plm-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
        p.put(StreamsConfig.STATE_DIR_CONFIG, Files.createDirectories(dir.resolve("state")).toString());
        PlmConfig d = PlmConfig.defaults();
        // stage wait 600 s: the 380 s series below waits for its stages as a whole
        PlmConfig cfg = new PlmConfig(d.ruleSet(), d.alarmPlmsIndex(), d.alarmWindowMinutes(), d.alarmMinSleepMinutes(),
                d.alarmPriority(), d.alarmCapPerHour(), d.stallSeconds(), d.bilateralGraceSeconds(), 600,
                d.punctuateSeconds());
        driver = new TopologyTestDriver(PlmTopology.build(cfg, clock), p, clock.instant());
        plm = out(Topics.PLM_EVENTS);
        alerts = out(Topics.ALERTS);
        dead = out(Topics.DEAD_LETTER);
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private <T> TestOutputTopic<String, T> out(Topic<String, T> t) {
        return driver.createOutputTopic(t.name(), new StringDeserializer(), t.valueSerde().deserializer());
    }

    private <T> void send(Topic<String, T> t, String key, T value) {
        in(t).pipeInput(key, t.valueSerde().serializer().serialize(t.name(), value));
    }

    private TestInputTopic<String, byte[]> in(Topic<String, ?> t) {
        return driver.createInputTopic(t.name(), new StringSerializer(), new ByteArraySerializer());
    }

    @Test
    void theStudyWindowFromStudyEventsDecidesTheIndicesAndThePlmsFinding() {
        // admitted, lights-off at 600 s; 20 PLMs from 100 to 480 s (before lights-off), 60 epochs of N2
        send(Topics.STUDY_EVENTS, "bed-1", PlmScorerTest.study(org.hypnostream.common.study.StudyEventType.ADMITTED, -60, null,
                org.hypnostream.common.study.Population.ADULT));
        send(Topics.STUDY_EVENTS, "bed-1", PlmScorerTest.study(org.hypnostream.common.study.StudyEventType.LIGHTS_OFF, 600, null, null));
        for (int i = 0; i < 20; i++) {
            double t = 100 + 20 * i;
            send(Topics.LEG_EVENTS, "bed-1", leg("bed-1", LegSide.LEFT, t, t + 1.5));
        }
        for (int e = 0; e < 60; e++) {
            send(Topics.STAGE_EVENTS, "bed-1", stage("bed-1", e, Stage.N2));
        }
        List<PlmEvent> events = plm.readValuesToList();
        PlmEvent last = events.get(events.size() - 1);
        // window = epochs 20-59 (midpoints from 615 s): 20 min of sleep, no PLM in it; the rolling finding needs 30 min
        assertThat(last.ruleSet()).as("the study's rule set (AASM) over the bed's default").isEqualTo("AASM");
        assertThat(last.sleepHours()).isEqualTo(40 * 30 / 3600.0);
        assertThat(last.plmsCount()).isZero();
        assertThat(last.plmsIndex()).isZero();
        assertThat(alerts.readValuesToList()).as("no finding from PLMs before lights-off").isEmpty();
        // the mark was late: amended to 0 s -> all 60 epochs (30 min) and 20 PLMS: 40/h, the finding is raised
        send(Topics.STUDY_EVENTS, "bed-1", PlmScorerTest.study(org.hypnostream.common.study.StudyEventType.AMENDED, 0,
                org.hypnostream.common.study.StudyEventType.LIGHTS_OFF, null));
        PlmEvent amended = plm.readValuesToList().get(0);
        assertThat(amended.kind()).isEqualTo("INDICES");
        assertThat(amended.plmsCount()).isEqualTo(20);
        assertThat(amended.plmsIndex()).isEqualTo(40.0);
        assertThat(alerts.readValuesToList()).extracting(Alert::code).containsExactly("PLMS_INDEX_HIGH");
        assertThat(dead.isEmpty()).isTrue();
    }

    @Test
    void periodicMovementsInSleepGivePlmEventsAndALatchedFindingAcknowledgedByANamedUser() {
        // 20 left-leg CLMs every 20 s from 100 s: one series; stages arrive afterwards: 60 epochs of N2 (30 min)
        for (int i = 0; i < 20; i++) {
            double t = 100 + 20 * i;
            send(Topics.LEG_EVENTS, "bed-1", leg("bed-1", LegSide.LEFT, t, t + 1.5));
        }
        assertThat(plm.isEmpty()).as("LMs wait for the stage of their epoch").isTrue();
        for (int e = 0; e < 60; e++) {
            send(Topics.STAGE_EVENTS, "bed-1", stage("bed-1", e, Stage.N2));
        }
        List<PlmEvent> events = plm.readValuesToList();
        List<PlmEvent> lms = events.stream().filter(e -> e.kind().equals("LM")).toList();
        assertThat(lms).hasSize(20).allSatisfy(e -> assertThat(e.inSleep()).isTrue());
        PlmEvent last = events.get(events.size() - 1);
        // hand-computed: 20 PLMS in 60 x 30 s = 0.5 h of sleep -> 40 /h; periodicity 20/20
        assertThat(last.plmsCount()).isEqualTo(20);
        assertThat(last.plmsIndex()).isEqualTo(40.0);
        assertThat(last.periodicityIndex()).isEqualTo(1.0);
        assertThat(lms.get(19).seriesState()).isEqualTo("CONFIRMED");
        assertThat(lms.get(19).seriesLength()).isEqualTo(20);

        List<Alert> raised = alerts.readValuesToList();
        assertThat(raised).hasSize(1);
        Alert a = raised.get(0);
        assertThat(a.code()).isEqualTo("PLMS_INDEX_HIGH");
        assertThat(a.physiological()).isTrue();
        assertThat(a.priority()).isEqualTo(AlertPriority.LOW);
        assertThat(a.state()).isEqualTo(AlertState.ACTIVE);
        // the 60th epoch completes 30 min of sleep: the finding was not raised before that
        assertThat(a.message()).contains("40.0/h");

        send(Topics.ALERT_ACTIONS, "bed-1",
                new AlertAction(a.alertId(), "bed-1", "ACKNOWLEDGE", "nurse.jones", clock.instant(), 0, "seen"));
        Alert acked = alerts.readValue();
        assertThat(acked.state()).isEqualTo(AlertState.ACKNOWLEDGED);
        assertThat(acked.actor()).isEqualTo("nurse.jones");
        KeyValueStore<String, BedAlarms> store = driver.getKeyValueStore(PlmTopology.ALARM_STORE);
        assertThat(store.get("bed-1").audit).extracting(AlertAction::user).containsExactly("nurse.jones");
    }

    @Test
    void badRecordsAreDeadLetteredAndTheTopologyGoesOn() {
        in(Topics.LEG_EVENTS).pipeInput("bed-1", "{not json".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        send(Topics.STAGE_EVENTS, "bed-2", stage("bed-1", 0, Stage.N2));
        send(Topics.LEG_EVENTS, "bed-1", leg("bed-1", LegSide.BILATERAL, 10, 11));
        in(Topics.LEG_WINDOWS).pipeInput("bed-1", new byte[] {1, 2, 3});
        send(Topics.BEDS, "bed-1", new BedInfo("bed-1", "ward", "Bed 1", null, List.of(), "ICSD"));
        List<DeadLetter> dl = dead.readValuesToList();
        assertThat(dl).extracting(DeadLetter::sourceTopic).containsExactly("leg-events.v1", "stage-events.v1",
                "leg-events.v1", "leg-windows.v1", "beds.v1");
        assertThat(dl.get(0).reason()).contains("LegMovementEvent");
        assertThat(dl.get(1).reason()).contains("does not match");
        assertThat(dl.get(2).reason()).contains("BILATERAL");
        assertThat(dl.get(4).reason()).contains("ICSD");
        assertThat(dl).allSatisfy(d -> assertThat(d.component()).isEqualTo("stream-processor.plm"));
        assertThat(dl.get(3).offset()).isZero();
        send(Topics.STAGE_EVENTS, "bed-1", stage("bed-1", 0, Stage.N2));
        assertThat(plm.readValue().kind()).isEqualTo("INDICES");
    }

    @Test
    void flatLegChannelAndStalledStreamRaiseTechnicalAlarmsThatClearThemselves() {
        float[] ok = new float[LegWindow.SAMPLES];
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < ok.length; i++) {
            ok[i] = (float) (2 * r.nextGaussian());
        }
        float[] flat = new float[LegWindow.SAMPLES];
        long start = Micros.of(PlmFixtures.START);
        send(Topics.LEG_WINDOWS, "bed-1", new LegWindow("bed-1", 0, start, 200, 2400, flat, ok, Set.of(), Set.of(), 0));
        Alert f = alerts.readValue();
        assertThat(f.code()).isEqualTo("LEG_CHANNEL_FLAT");
        assertThat(f.physiological()).isFalse();
        assertThat(f.message()).startsWith("left leg");
        assertThat(alerts.isEmpty()).isTrue();
        float[] nan = new float[LegWindow.SAMPLES];
        Arrays.fill(nan, Float.NaN);
        send(Topics.LEG_WINDOWS, "bed-1", new LegWindow("bed-1", 1, start, 200, 2400, ok, nan, Set.of(),
                Set.of(QualityFlag.GAP), 0));
        List<Alert> changed = alerts.readValuesToList();
        assertThat(changed).extracting(Alert::code, Alert::state).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("LEG_CHANNEL_FLAT", AlertState.CLEARED),
                org.assertj.core.groups.Tuple.tuple("LEG_CHANNEL_DISCONNECTED", AlertState.ACTIVE));

        clock.advance(Duration.ofSeconds(61));
        driver.advanceWallClockTime(Duration.ofSeconds(61));
        Alert stalled = alerts.readValue();
        assertThat(stalled.code()).isEqualTo("STREAM_STALLED");
        assertThat(stalled.priority()).isEqualTo(AlertPriority.MEDIUM);
        assertThat(stalled.state()).isEqualTo(AlertState.ACTIVE);
        send(Topics.LEG_WINDOWS, "bed-1", new LegWindow("bed-1", 2, start, 200, 2400, ok, ok, Set.of(), Set.of(), 0));
        assertThat(alerts.readValuesToList()).extracting(Alert::code, Alert::state).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("STREAM_STALLED", AlertState.CLEARED),
                org.assertj.core.groups.Tuple.tuple("LEG_CHANNEL_DISCONNECTED", AlertState.CLEARED));
    }

    @Test
    void aBedCanBeScoredWithAasm() {
        send(Topics.BEDS, "bed-2", new BedInfo("bed-2", "ward", "Bed 2", null, List.of(), "AASM"));
        for (String bed : List.of("bed-1", "bed-2")) {
            for (int e = 0; e < 4; e++) {
                send(Topics.STAGE_EVENTS, bed, stage(bed, e, Stage.N2));
            }
            // IMI 6 s: a series for AASM (5-90 s), broken every time for WASM (10-90 s)
            for (int i = 0; i < 5; i++) {
                double t = 30 + 6 * i;
                send(Topics.LEG_EVENTS, bed, leg(bed, LegSide.RIGHT, t, t + 1));
            }
            send(Topics.LEG_EVENTS, bed, leg(bed, LegSide.LEFT, 100, 101));
            send(Topics.STAGE_EVENTS, bed, stage(bed, 4, Stage.N2));
        }
        List<PlmEvent> events = plm.readValuesToList();
        PlmEvent wasm = events.stream().filter(e -> e.bedId().equals("bed-1")).reduce((a, b) -> b).orElseThrow();
        PlmEvent aasm = events.stream().filter(e -> e.bedId().equals("bed-2")).reduce((a, b) -> b).orElseThrow();
        assertThat(wasm.ruleSet()).isEqualTo("WASM2016");
        assertThat(wasm.plmCount()).isZero();
        assertThat(aasm.ruleSet()).isEqualTo("AASM");
        // AASM: IMIs 6, 6, 6, 6 and 46 s (to the left LM at 100 s): 6 PLMs; WASM: broken at every 6-s IMI
        assertThat(aasm.plmCount()).isEqualTo(6);
    }
}
