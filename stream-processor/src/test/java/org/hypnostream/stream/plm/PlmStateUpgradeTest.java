package org.hypnostream.stream.plm;

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
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.hypnostream.common.time.ManualClock;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.stream.RawStores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PLM stores' upgrade from JSON to the binary format of ADR 0031 through the real topology: main 8fc5023's store
 * values after 200 epochs of {@link SyntheticPlmNight} (fixture {@code plm-state-json/plm-night-after-200-epochs.txt},
 * raw bytes captured below main's serdes) are put under this build's stores, as a restore from the changelog would;
 * the outputs of the remaining 160 epochs must be byte-identical to those of an uninterrupted run of this build and
 * of main, and the next save must have written the binary format.
 */
class PlmStateUpgradeTest {
    static final int EPOCHS = 360;
    static final int CUT_EPOCH = 200;
    static final List<String> STORES = List.of(PlmTopology.BED_STATE_STORE, PlmTopology.ALARM_STORE);

    /**
     * Count and SHA-256 ({@link #digest}) of the outputs after the cut of main 8fc5023 running the same input without
     * a stop (its JSON serdes; taken by running this test's pipe with main's topology class), so that this build's
     * outputs are checked against main's, not only against its own uninterrupted run.
     */
    static final String MAINS_OUTPUTS_AFTER_CUT = "336 cc5338136eced2736ed7de44438189ccd86d5c506c3a4973eca638fa6ef6fd5f";

    @TempDir
    Path dir;

    final ManualClock clock = new ManualClock(PlmFixtures.START);

    TopologyTestDriver driver(String sub) throws IOException {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "hypnostream-plm");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
        p.put(StreamsConfig.STATE_DIR_CONFIG, Files.createDirectories(dir.resolve(sub)).toString());
        clock.set(PlmFixtures.START);
        return new TopologyTestDriver(PlmTopology.build(PlmConfig.defaults(), clock), p, clock.instant());
    }

    /** Index of the first record after the stage event of epoch {@code epoch - 1}. */
    static int cut(List<SyntheticPlmNight.In> in, long epoch) {
        int stages = 0;
        for (int i = 0; i < in.size(); i++) {
            if (in.get(i).topic().equals(Topics.STAGE_EVENTS.name()) && ++stages == epoch) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException("the night has fewer than " + epoch + " epochs");
    }

    /** Pipes records [from, to) and returns every output record, as "topic hex", per topic in order. */
    List<String> pipe(TopologyTestDriver d, List<SyntheticPlmNight.In> in, int from, int to) {
        for (int i = from; i < to; i++) {
            SyntheticPlmNight.In r = in.get(i);
            Duration ahead = Duration.between(clock.instant(), r.wallClock());
            if (!ahead.isNegative()) {
                clock.set(r.wallClock());
                d.advanceWallClockTime(ahead);
            }
            d.createInputTopic(r.topic(), new StringSerializer(), new ByteArraySerializer())
                    .pipeInput(SyntheticPlmNight.BED, r.value(), r.wallClock());
        }
        List<String> out = new ArrayList<>();
        for (String topic : List.of(Topics.PLM_EVENTS.name(), Topics.ALERTS.name(), Topics.DEAD_LETTER.name())) {
            for (byte[] v : d.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer()).readValuesToList()) {
                out.add(topic + " " + HexFormat.of().formatHex(v));
            }
        }
        return out;
    }

    static String fixture(String name) throws IOException {
        try (InputStream in = PlmStateUpgradeTest.class.getResourceAsStream("/plm-state-json/" + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    @Test
    void storesMainWroteInJsonGiveTheSameOutputsAsAnUninterruptedRunAndAreSavedInTheBinaryFormat() throws IOException {
        List<SyntheticPlmNight.In> in = SyntheticPlmNight.records(EPOCHS);
        int cut = cut(in, CUT_EPOCH);
        List<String> reference;
        try (TopologyTestDriver d = driver("uninterrupted")) {
            pipe(d, in, 0, cut);
            reference = pipe(d, in, cut, in.size());
        }
        assertThat(reference).anyMatch(r -> r.startsWith(Topics.PLM_EVENTS.name()))
                .anyMatch(r -> r.startsWith(Topics.ALERTS.name()))
                .noneMatch(r -> r.startsWith(Topics.DEAD_LETTER.name()));

        try (TopologyTestDriver d = driver("upgraded")) {
            assertThat(RawStores.load(d, fixture("plm-night-after-200-epochs.txt"))).isEqualTo(2);
            for (String store : STORES) {
                assertThat(RawStores.bytesOf(d, store).get(org.apache.kafka.common.utils.Bytes.wrap(
                        SyntheticPlmNight.BED.getBytes(StandardCharsets.UTF_8)))[0]).as("%s as main left it", store)
                        .isEqualTo((byte) '{');
            }
            clock.set(in.get(cut - 1).wallClock());
            d.advanceWallClockTime(Duration.between(PlmFixtures.START, clock.instant()));
            List<String> after = pipe(d, in, cut, in.size());
            // per topic, in order: byte-identical to the run that never stopped
            assertThat(after).isEqualTo(reference);
            assertThat(after.size() + " " + digest(after)).as("main's outputs").isEqualTo(MAINS_OUTPUTS_AFTER_CUT);
            for (String store : STORES) {
                assertThat(RawStores.bytesOf(d, store).get(org.apache.kafka.common.utils.Bytes.wrap(
                        SyntheticPlmNight.BED.getBytes(StandardCharsets.UTF_8)))[0]).as("%s after the next save", store)
                        .isEqualTo((byte) PlmStateCodec.VERSION);
            }
        }
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
