package org.hypnostream.stream.alarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.hypnostream.common.time.ManualClock;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.stream.RawStores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The escalation store's upgrade from JSON to the binary format of ADR 0031 through the real topology: main
 * 8fc5023's values after the first 30 records of {@link SyntheticEscalations} (fixture
 * {@code plm-state-json/escalation-after-30-records.txt}) are put under this build's store; the notices after the cut
 * must be byte-identical to those of an uninterrupted run of this build and of main, and the next save binary.
 */
class EscalationStateUpgradeTest {
    static final int ALERTS_PER_BED = 12;

    /**
     * Count and SHA-256 ({@link #digest}) of the outputs after the cut of main 8fc5023 running the same input without
     * a stop (its JSON serdes; taken by running this test's pipe with main's topology class), so that this build's
     * outputs are checked against main's, not only against its own uninterrupted run.
     */
    static final String MAINS_OUTPUTS_AFTER_CUT = "214 b18a671198d38350d92fa8d887089c064f388cbaa14e90739cb56c31ba0d3ed7";

    @TempDir
    Path dir;

    final ManualClock clock = new ManualClock(SyntheticEscalations.T0);

    TopologyTestDriver driver(String sub) throws IOException {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "hypnostream-alarm-escalation");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
        p.put(StreamsConfig.STATE_DIR_CONFIG, Files.createDirectories(dir.resolve(sub)).toString());
        clock.set(SyntheticEscalations.T0);
        return new TopologyTestDriver(AlarmEscalationTopology.build(EscalationConfig.defaults(), clock), p, clock.instant());
    }

    /** Pipes records [from, to), moving the wall clock (and so the reminder checks) to each record's time. */
    List<String> pipe(TopologyTestDriver d, List<SyntheticEscalations.In> in, int from, int to) {
        for (int i = from; i < to; i++) {
            SyntheticEscalations.In r = in.get(i);
            Duration ahead = Duration.between(clock.instant(), r.wallClock());
            while (!ahead.isNegative() && !ahead.isZero()) {
                Duration step = ahead.compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30) : ahead;
                clock.advance(step);
                d.advanceWallClockTime(step);
                ahead = ahead.minus(step);
            }
            d.createInputTopic(r.topic(), new StringSerializer(), new ByteArraySerializer())
                    .pipeInput(r.key(), r.value(), r.wallClock());
        }
        List<String> out = new ArrayList<>();
        for (String topic : List.of(Topics.ALARM_NOTICES.name(), Topics.DEAD_LETTER.name())) {
            for (byte[] v : d.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer()).readValuesToList()) {
                out.add(topic + " " + HexFormat.of().formatHex(v));
            }
        }
        return out;
    }

    @Test
    void storesMainWroteInJsonGiveTheSameNoticesAsAnUninterruptedRunAndAreSavedInTheBinaryFormat() throws IOException {
        List<SyntheticEscalations.In> in = SyntheticEscalations.records(ALERTS_PER_BED);
        int cut = in.size() / 2;
        List<String> reference;
        try (TopologyTestDriver d = driver("uninterrupted")) {
            pipe(d, in, 0, cut);
            reference = pipe(d, in, cut, in.size());
        }
        assertThat(reference).anyMatch(r -> r.startsWith(Topics.ALARM_NOTICES.name()))
                .noneMatch(r -> r.startsWith(Topics.DEAD_LETTER.name()));

        try (TopologyTestDriver d = driver("upgraded")) {
            String fixture;
            try (InputStream f = getClass().getResourceAsStream("/plm-state-json/escalation-after-30-records.txt")) {
                assertThat(f).isNotNull();
                fixture = new String(f.readAllBytes(), StandardCharsets.US_ASCII);
            }
            assertThat(RawStores.load(d, fixture)).isEqualTo(2);
            assertThat(raw(d, "bed-1")[0]).as("as main left it").isEqualTo((byte) '{');
            Duration ahead = Duration.between(clock.instant(), in.get(cut - 1).wallClock());
            clock.advance(ahead);
            d.advanceWallClockTime(ahead);
            List<String> after = pipe(d, in, cut, in.size());
            assertThat(after).isEqualTo(reference);
            assertThat(after.size() + " " + digest(after)).as("main's outputs").isEqualTo(MAINS_OUTPUTS_AFTER_CUT);
            assertThat(raw(d, "bed-1")[0]).as("after the next save").isEqualTo((byte) EscalationStateCodec.VERSION);
            assertThat(raw(d, "bed-2")[0]).as("after the next save").isEqualTo((byte) EscalationStateCodec.VERSION);
        }
    }

    private static byte[] raw(TopologyTestDriver d, String bed) {
        return RawStores.bytesOf(d, AlarmEscalationTopology.STORE).get(Bytes.wrap(bed.getBytes(StandardCharsets.UTF_8)));
    }

    /** SHA-256 of the output lines, in order, one per line. */
    static String digest(List<String> lines) {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            for (String l : lines) {
                md.update((l + "\n").getBytes(StandardCharsets.US_ASCII));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
