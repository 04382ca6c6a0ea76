package org.hypnostream.stream.plm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.function.Function;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.hypnostream.common.event.Alert;
import org.hypnostream.common.event.AlertAction;
import org.hypnostream.common.event.AlertPriority;
import org.hypnostream.common.event.AlertState;
import org.hypnostream.common.event.DeadLetter;
import org.hypnostream.common.event.JsonCodec;
import org.hypnostream.common.event.LegSide;
import org.hypnostream.common.event.Stage;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.stream.RawStores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlmStateCodecTest {
    @TempDir
    Path dir;

    /** Main's JSON value of {@code store} from the upgrade fixture. */
    static byte[] mainsJson(String store) throws IOException {
        for (String line : PlmStateUpgradeTest.fixture("plm-night-after-200-epochs.txt").split("\n")) {
            if (line.startsWith(store + " ")) {
                return Base64.getDecoder().decode(line.split(" ")[2]);
            }
        }
        throw new IllegalStateException(store + " not in the fixture");
    }

    /** A bed state with every field away from its default. */
    static BedPlmState full() {
        BedPlmState s = new BedPlmState();
        s.ruleSet = "AASM";
        s.pending.add(new MonoLm(LegSide.LEFT, 1_772_402_400_000_000L, 1_772_402_401_500_000L));
        s.pending.add(new MonoLm(LegSide.RIGHT, 1_772_402_400_400_000L, 1_772_402_402_000_000L));
        s.awaiting.add(new Lm(1_772_402_400_000_000L, 1_772_402_402_000_000L, "BILATERAL", 2, true, null));
        s.awaiting.add(new Lm(1_772_402_430_000_000L, 1_772_402_441_000_000L, "LEFT", 1, false, "longer than 10 s"));
        s.lastOffsetLeft = 1_772_402_401_500_000L;
        s.lastOffsetRight = Long.MIN_VALUE;
        s.streamTimeMicros = 1_772_402_460_000_000L;
        s.recordingStartMicros = 1_772_402_370_000_000L;
        s.sessionStartMicros = 1_772_402_370_000_000L;
        s.epochMicros = 20_000_000L;
        s.maxEpochSeen = 42;
        s.stages.put(40L, "N2");
        s.stages.put(41L, "UNSCORED");
        s.stages.put(42L, "W");
        s.sleepEpochs = 30;
        s.wakeEpochs = 11;
        s.rollingSleepEpochs.addAll(List.of(3L, 4L, 9L, 40L));
        s.rollingPlmsEpochs.addAll(List.of(40L, 4L, 40L));
        s.lmCount = 7;
        s.clmCount = 6;
        s.plmCount = 4;
        s.plmsCount = 3;
        s.plmwCount = 1;
        s.imiHistogram.set(2, 5L);
        s.imiHistogram.set(9, 1L);
        s.tracker.seriesId = "bed-1:series:1772402400000000";
        s.tracker.state = PlmSeriesTracker.PROVISIONAL;
        s.tracker.memberOnsets.addAll(List.of(1_772_402_400_000_000L, 1_772_402_420_000_000L));
        s.tracker.memberStages.addAll(Arrays.asList("N2", null));
        s.tracker.length = 2;
        s.longWakeRuns.put(5L, 12L);
        s.longWakeRuns.put(20L, 25L);
        s.wakeRunStart = 42;
        s.studyId = "S1";
        s.population = "CHILD";
        s.lightsOffMicros = 1_772_402_380_000_000L;
        s.lightsOnMicros = -5L;
        s.night = "WWW..SS?S";
        s.plmsOnsets.addAll(List.of(1_772_402_400_000_000L, 1_772_402_420_000_000L, 1_772_402_399_000_000L));
        s.plmwOnsets.add(1_772_402_380_000_000L);
        s.droppedShort = 2;
        s.lateEvents = 1;
        s.unstagedLms = 9;
        return s;
    }

    static BedAlarms fullAlarms() {
        BedAlarms a = new BedAlarms();
        Instant t = Instant.parse("2026-03-02T01:02:03.456789012Z");
        a.byKey.put("PLMS_INDEX_HIGH", new Alert("bed-1:PLMS_INDEX_HIGH:1:1", "bed-1", true, "PLMS_INDEX_HIGH",
                AlertPriority.LOW, AlertState.SILENCED, "PLMS index 40.0/h \u00b5", t, t.plusSeconds(5), "nurse.jones",
                t.plusSeconds(120)));
        a.byKey.put("LEG_CHANNEL_FLAT:LEFT", new Alert("bed-1:LEG_CHANNEL_FLAT:LEFT:2:2", "bed-1", false,
                "LEG_CHANNEL_FLAT", AlertPriority.MEDIUM, AlertState.CLEARED, null, null, t, null, null));
        a.conditionActive.put("PLMS_INDEX_HIGH", true);
        a.conditionActive.put("LEG_CHANNEL_FLAT:LEFT", false);
        a.raisedAt.addAll(List.of(t, t.minusSeconds(3000)));
        a.audit.add(new AlertAction("x", "bed-1", AlertAction.AUDIO_PAUSED, "nurse.jones", t, 120, "paused"));
        a.audit.add(new AlertAction("y", "bed-1", AlertAction.ACKNOWLEDGE, "dr.who", null, 0, null));
        a.suppressedByCap = 3;
        a.raiseSeq = 17;
        a.lastDataMicros = 1_772_402_460_000_001L;
        return a;
    }

    @Test
    void everyFieldOfTheBedStateSurvivesTheBinaryFormat() {
        BedPlmState s = full();
        byte[] b = PlmStateCodec.encode(s);
        assertThat(b[0]).isEqualTo((byte) PlmStateCodec.VERSION);
        assertThat(JsonCodec.toJson(PlmStateCodec.decodeBed(b))).isEqualTo(JsonCodec.toJson(s));
        assertThat(JsonCodec.toJson(PlmStateCodec.decodeAlarms(PlmStateCodec.encode(fullAlarms())))).isEqualTo(
                JsonCodec.toJson(fullAlarms()));
    }

    @Test
    void theCodecKnowsEveryFieldOfTheStateClasses() {
        // a field added to a state class must be added to PlmStateCodec (and to full() / fullAlarms() above)
        assertThat(fields(BedPlmState.class)).containsExactly("ruleSet", "pending", "awaiting", "lastOffsetLeft",
                "lastOffsetRight", "streamTimeMicros", "recordingStartMicros", "sessionStartMicros", "epochMicros",
                "maxEpochSeen", "stages", "sleepEpochs", "wakeEpochs", "rollingSleepEpochs", "rollingPlmsEpochs",
                "lmCount", "clmCount", "plmCount", "plmsCount", "plmwCount", "imiHistogram", "tracker", "longWakeRuns",
                "wakeRunStart", "studyId", "population", "lightsOffMicros", "lightsOnMicros", "night", "plmsOnsets",
                "plmwOnsets", "droppedShort", "lateEvents", "unstagedLms");
        assertThat(fields(PlmSeriesTracker.class)).containsExactly("seriesId", "state", "memberOnsets", "memberStages",
                "length");
        assertThat(fields(BedAlarms.class)).containsExactly("byKey", "conditionActive", "raisedAt", "audit",
                "suppressedByCap", "raiseSeq", "lastDataMicros");
        assertThat(Arrays.stream(Lm.class.getRecordComponents()).map(c -> c.getName())).containsExactly("onsetMicros",
                "offsetMicros", "side", "members", "candidate", "reason");
        assertThat(Arrays.stream(Alert.class.getRecordComponents()).map(c -> c.getName())).hasSize(11);
        assertThat(Arrays.stream(AlertAction.class.getRecordComponents()).map(c -> c.getName())).hasSize(7);
    }

    private static List<String> fields(Class<?> c) {
        return Arrays.stream(c.getDeclaredFields()).filter(f -> !Modifier.isStatic(f.getModifiers()))
                .map(Field::getName).toList();
    }

    @Test
    void mainsJsonIsReadAndGivesTheSameStateThroughTheBinaryFormat() throws IOException {
        byte[] json = mainsJson(PlmTopology.BED_STATE_STORE);
        BedPlmState s = PlmStateCodec.decodeBed(json);
        assertThat(s.night).hasSize(200);
        assertThat(s.plmsOnsets).isNotEmpty();
        BedPlmState back = PlmStateCodec.decodeBed(PlmStateCodec.encode(s));
        assertThat(JsonCodec.toJson(back)).isEqualTo(new String(json, java.nio.charset.StandardCharsets.UTF_8));

        byte[] alarmsJson = mainsJson(PlmTopology.ALARM_STORE);
        BedAlarms a = PlmStateCodec.decodeAlarms(alarmsJson);
        assertThat(a.byKey).isNotEmpty();
        BedAlarms aBack = PlmStateCodec.decodeAlarms(PlmStateCodec.encode(a));
        assertThat(JsonCodec.toJson(aBack)).isEqualTo(new String(alarmsJson, java.nio.charset.StandardCharsets.UTF_8));
        // the map types the JSON mapper gives main's code, so that iteration order is the same under either format
        assertThat(aBack.byKey.getClass()).isEqualTo(a.byKey.getClass());
        assertThat(aBack.conditionActive.getClass()).isEqualTo(a.conditionActive.getClass());
        assertThat(back.stages.getClass()).isEqualTo(s.stages.getClass());
    }

    @Test
    void everyTruncationAndAnyTrailingByteIsRefusedNeverMisread() {
        check(PlmStateCodec.encode(full()), PlmStateCodec::decodeBed);
        check(PlmStateCodec.encode(fullAlarms()), PlmStateCodec::decodeAlarms);
    }

    private static void check(byte[] good, Function<byte[], ?> decode) {
        for (int n = 0; n < good.length; n++) {
            byte[] cut = Arrays.copyOf(good, n);
            assertThatThrownBy(() -> decode.apply(cut)).as("%d of %d bytes", n, good.length)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("state");
        }
        byte[] longer = Arrays.copyOf(good, good.length + 1);
        assertThatThrownBy(() -> decode.apply(longer)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 bytes left over");
    }

    @Test
    void anUnknownVersionAnotherKindOrGarbageIsRefusedWithAClearError() {
        byte[] b = PlmStateCodec.encode(full());
        b[0] = 2;
        assertThatThrownBy(() -> PlmStateCodec.decodeBed(b)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("plm-bed-state value: unknown state format version 2");
        assertThatThrownBy(() -> PlmStateCodec.decodeBed(PlmStateCodec.encode(fullAlarms())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected 'P'");
        assertThatThrownBy(() -> PlmStateCodec.decodeAlarms("{\"byKey\":".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid JSON");
        Random r = new Random(31);
        for (int i = 0; i < 2000; i++) {
            byte[] g = new byte[2 + r.nextInt(200)];
            r.nextBytes(g);
            g[0] = (byte) PlmStateCodec.VERSION;
            g[1] = (byte) (i % 2 == 0 ? 'P' : 'A');
            Function<byte[], ?> decode = i % 2 == 0 ? PlmStateCodec::decodeBed : PlmStateCodec::decodeAlarms;
            try {
                decode.apply(g);
            } catch (IllegalArgumentException expected) {
                // refused with a message: fine; anything else (an index, a negative size, an out-of-memory) fails
            }
        }
    }

    @Test
    void aBedWhoseStateCannotBeReadHasItsRecordsDeadLetteredAndTheTopologyGoesOn() throws IOException {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "plm-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
        p.put(StreamsConfig.STATE_DIR_CONFIG, Files.createDirectories(dir.resolve("state")).toString());
        try (TopologyTestDriver d = new TopologyTestDriver(PlmTopology.build(PlmConfig.defaults()), p)) {
            RawStores.load(d, PlmTopology.BED_STATE_STORE + " bed-9 " + Base64.getEncoder().encodeToString(new byte[] {7, 'P', 1}));
            var in = d.createInputTopic(Topics.STAGE_EVENTS.name(), new StringSerializer(), new ByteArraySerializer());
            in.pipeInput("bed-9", Topics.STAGE_EVENTS.valueSerde().serializer().serialize("", PlmFixtures.stage("bed-9", 0, Stage.N2)));
            in.pipeInput("bed-1", Topics.STAGE_EVENTS.valueSerde().serializer().serialize("", PlmFixtures.stage("bed-1", 0, Stage.N2)));
            List<DeadLetter> dead = d.createOutputTopic(Topics.DEAD_LETTER.name(), new StringDeserializer(),
                    Topics.DEAD_LETTER.valueSerde().deserializer()).readValuesToList();
            assertThat(dead).hasSize(1);
            assertThat(dead.get(0).reason()).contains("unknown state format version 7");
            assertThat(d.createOutputTopic(Topics.PLM_EVENTS.name(), new StringDeserializer(),
                    Topics.PLM_EVENTS.valueSerde().deserializer()).readValuesToList()).extracting(e -> e.bedId())
                    .containsExactly("bed-1");
        }
    }

    @Test
    void anAlarmStateThatCannotBeReadIsSkippedByTheStallCheckWhichGoesOnForTheOtherBeds() throws IOException {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "plm-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
        p.put(StreamsConfig.STATE_DIR_CONFIG, Files.createDirectories(dir.resolve("punctuate")).toString());
        org.hypnostream.common.time.ManualClock clock = new org.hypnostream.common.time.ManualClock(PlmFixtures.NOW);
        try (TopologyTestDriver d = new TopologyTestDriver(PlmTopology.build(PlmConfig.defaults(), clock), p, clock.instant())) {
            RawStores.load(d, PlmTopology.ALARM_STORE + " bed-0 " + Base64.getEncoder().encodeToString(new byte[] {1, 'A', 3}));
            float[] ok = new float[org.hypnostream.common.wire.LegWindow.SAMPLES];
            Random r = new Random(1);
            for (int i = 0; i < ok.length; i++) {
                ok[i] = (float) (2 * r.nextGaussian());
            }
            var w = new org.hypnostream.common.wire.LegWindow("bed-1", 0, org.hypnostream.common.time.Micros.of(PlmFixtures.START),
                    200, 2400, ok, ok, java.util.Set.of(), java.util.Set.of(), 0);
            d.createInputTopic(Topics.LEG_WINDOWS.name(), new StringSerializer(), new ByteArraySerializer())
                    .pipeInput("bed-1", Topics.LEG_WINDOWS.valueSerde().serializer().serialize("", w));
            clock.advance(java.time.Duration.ofSeconds(61));
            d.advanceWallClockTime(java.time.Duration.ofSeconds(61));
            List<Alert> alerts = d.createOutputTopic(Topics.ALERTS.name(), new StringDeserializer(),
                    Topics.ALERTS.valueSerde().deserializer()).readValuesToList();
            assertThat(alerts).extracting(Alert::bedId, Alert::code).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("bed-1", "STREAM_STALLED"));
        }
    }
}
