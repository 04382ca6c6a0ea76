package org.hypnostream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.common.wire.SampleBlock;
import org.hypnostream.common.wire.SampleBlockCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upgrade through the real topology (docs/adr/0026-spine-chunk-ring-and-one-head-per-bed.md): stores as main at
 * a77de8e left them (ADR 0017's four per-part stores and {@code #<chunk>} keys, fixture
 * {@code spine-state-v2/bed-7-after-117-blocks.txt}) are read, the windows after the restart are byte-identical to
 * those of an uninterrupted spine, and the first block's save moves the bed into the current layout: one head, ring
 * slots, and nothing of the old layout left in the stores.
 */
class SpineUpgradeTopologyTest {
    private static final List<SampleBlock> BLOCKS = SpineMontage.blocks(100);
    private static final int CUT = 117;

    @TempDir
    Path dir;

    private TopologyTestDriver driver(String sub) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "hypnostream-spine");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
        p.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve(sub).toString());
        return new TopologyTestDriver(SpineTopology.build(SpineConfig.defaults()), p);
    }

    /** Pipes blocks [from, to) and returns every window record they produced, as "topic hex", in order per topic. */
    private static List<String> pipe(TopologyTestDriver d, int from, int to) {
        TestInputTopic<String, byte[]> in = d.createInputTopic(Topics.SAMPLES.name(), new StringSerializer(),
                new ByteArraySerializer());
        for (int i = from; i < to; i++) {
            in.pipeInput(BLOCKS.get(i).bedId(), SampleBlockCodec.encode(BLOCKS.get(i)), BLOCKS.get(i).receiveTimeMicros() / 1000);
        }
        List<String> out = new ArrayList<>();
        for (String topic : List.of(Topics.EEG_EPOCHS.name(), Topics.LEG_WINDOWS.name(), Topics.EMG_SEGMENTS.name(),
                Topics.DEAD_LETTER.name())) {
            for (byte[] v : d.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer()).readValuesToList()) {
                out.add(topic + " " + HexFormat.of().formatHex(v));
            }
        }
        return out;
    }

    @Test
    void storesOfMainsLayoutAreMigratedByTheFirstSaveAndGiveByteIdenticalWindows() throws IOException {
        List<String> reference;
        try (TopologyTestDriver d = driver("uninterrupted")) {
            pipe(d, 0, CUT);
            reference = pipe(d, CUT, BLOCKS.size());
        }
        assertThat(reference).anyMatch(r -> r.startsWith(Topics.EEG_EPOCHS.name()))
                .anyMatch(r -> r.startsWith(Topics.LEG_WINDOWS.name())).anyMatch(r -> r.startsWith(Topics.EMG_SEGMENTS.name()))
                .noneMatch(r -> r.startsWith(Topics.DEAD_LETTER.name()));

        try (TopologyTestDriver d = driver("upgraded")) {
            List<KeyValueStore<String, byte[]>> parts = new ArrayList<>();
            for (String name : SpineTopology.STORES) {
                parts.add(d.getKeyValueStore(name));
            }
            KeyValueStore<String, byte[]> chunks = d.getKeyValueStore(SpineTopology.CHUNK_STORE);
            loadFixture(d, SpineMontage.BED);
            assertThat(count(chunks, "#")).isGreaterThan(100);

            List<String> first = pipe(d, CUT, CUT + 1);
            assertThat(parts.get(0).get(SpineMontage.BED)[0]).as("the bed's head version").isEqualTo((byte) BedSpine.STATE_VERSION);
            for (int p = 1; p < parts.size(); p++) {
                assertThat(parts.get(p).get(SpineMontage.BED)).as("%s after the first save", SpineTopology.STORES.get(p)).isNull();
            }
            assertThat(count(chunks, "#")).as("chunks under main's keys left behind").isZero();
            assertThat(count(chunks, "@")).isPositive();

            List<String> rest = new ArrayList<>(first);
            rest.addAll(pipe(d, CUT + 1, BLOCKS.size()));
            // per topic, in order: the windows equal those of the spine that never stopped
            assertThat(rest).containsExactlyInAnyOrderElementsOf(reference);
            for (String topic : List.of(Topics.EEG_EPOCHS.name(), Topics.LEG_WINDOWS.name(), Topics.EMG_SEGMENTS.name())) {
                assertThat(rest.stream().filter(r -> r.startsWith(topic + " ")).toList())
                        .isEqualTo(reference.stream().filter(r -> r.startsWith(topic + " ")).toList());
            }
        }
    }

    /** Puts the fixture (main's stores after 117 blocks of bed-7) into the driver's stores as bed {@code bed}. */
    private static void loadFixture(TopologyTestDriver d, String bed) throws IOException {
        assertThat(bed).hasSize(SpineMontage.BED.length());
        KeyValueStore<String, byte[]> chunks = d.getKeyValueStore(SpineTopology.CHUNK_STORE);
        try (InputStream in = SpineUpgradeTopologyTest.class.getResourceAsStream("/spine-state-v2/bed-7-after-117-blocks.txt")) {
            assertThat(in).isNotNull();
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                String[] f = line.split(" ");
                if (f[0].equals("c")) {
                    chunks.put(f[1].replace(":" + SpineMontage.BED + "/", ":" + bed + "/"), Base64.getDecoder().decode(f[2]));
                } else {
                    d.<String, byte[]>getKeyValueStore(SpineTopology.STORES.get(Integer.parseInt(f[0])))
                            .put(bed, Base64.getDecoder().decode(f[1]));
                }
            }
        }
    }

    @Test
    void anIdleRecordingOfABedNotYetSavedSinceTheUpgradeIsClosed() throws IOException {
        try (TopologyTestDriver d = driver("idle")) {
            loadFixture(d, "bed-9"); // main's layout; its needle recording is open, no block of it arrives any more
            // a block of bed-7 (from its first block: a fresh bed) opens a recording, which schedules the idle check
            pipe(d, 0, 2);
            var emg = d.createOutputTopic(Topics.EMG_SEGMENTS.name(), new org.apache.kafka.common.serialization.StringDeserializer(),
                    Topics.EMG_SEGMENTS.valueSerde().deserializer());
            for (int i = 0; i < 8; i++) {
                d.advanceWallClockTime(java.time.Duration.ofMillis(1000));
            }
            List<org.hypnostream.common.wire.EmgSegment> closing = emg.readValuesToList();
            assertThat(closing).filteredOn(s -> s.bedId().equals("bed-9")).as("bed-9's closing segment").hasSize(1)
                    .allMatch(org.hypnostream.common.wire.EmgSegment::last);
            assertThat(d.<String, byte[]>getKeyValueStore(SpineTopology.STORES.get(BedSpine.EMG)).get("bed-9"))
                    .as("bed-9 saved in the current layout by the close").isNull();
            assertThat(d.<String, byte[]>getKeyValueStore(SpineTopology.STORES.get(0)).get("bed-9")[0])
                    .isEqualTo((byte) BedSpine.STATE_VERSION);
        }
    }

    private static int count(KeyValueStore<String, byte[]> store, String marker) {
        int n = 0;
        try (var it = store.all()) {
            while (it.hasNext()) {
                n += it.next().key.contains(marker) ? 1 : 0;
            }
        }
        return n;
    }
}
