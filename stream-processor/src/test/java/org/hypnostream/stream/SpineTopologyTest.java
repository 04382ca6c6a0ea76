package org.hypnostream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.hypnostream.common.event.DeadLetter;
import org.hypnostream.common.time.ManualClock;
import org.hypnostream.common.topic.Topic;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.common.wire.ChannelType;
import org.hypnostream.common.wire.EmgSegment;
import org.hypnostream.common.wire.Epoch;
import org.hypnostream.common.wire.LegWindow;
import org.hypnostream.common.wire.QualityFlag;
import org.hypnostream.common.wire.SampleBlock;
import org.hypnostream.common.wire.SampleBlockCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpineTopologyTest {
    @TempDir
    Path stateDir;

    private final CountingMetrics metrics = new CountingMetrics();
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> samples;
    private TestOutputTopic<String, Epoch> epochs;
    private TestOutputTopic<String, LegWindow> legs;
    private TestOutputTopic<String, EmgSegment> emg;
    private TestOutputTopic<String, DeadLetter> deadLetters;

    static final class CountingMetrics implements SpineMetrics {
        final AtomicInteger duplicates = new AtomicInteger();
        final AtomicInteger emgIdleChecks = new AtomicInteger();
        final Map<String, Integer> deadLetters = new ConcurrentHashMap<>();

        @Override
        public void duplicate() {
            duplicates.incrementAndGet();
        }

        @Override
        public void deadLetter(String reasonCode) {
            deadLetters.merge(reasonCode, 1, Integer::sum);
        }

        @Override
        public void emgIdleCheck() {
            emgIdleChecks.incrementAndGet();
        }
    }

    @BeforeEach
    void start() {
        start(SpineConfig.defaults());
    }

    private void start(SpineConfig config) {
        if (driver != null) {
            driver.close();
        }
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "spine-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(SpineTopology.build(config, metrics, new ManualClock(Instant.EPOCH)), p);
        samples = driver.createInputTopic(Topics.SAMPLES.name(), new StringSerializer(), new ByteArraySerializer());
        epochs = out(Topics.EEG_EPOCHS);
        legs = out(Topics.LEG_WINDOWS);
        emg = out(Topics.EMG_SEGMENTS);
        deadLetters = out(Topics.DEAD_LETTER);
    }

    private <V> TestOutputTopic<String, V> out(Topic<String, V> t) {
        return driver.createOutputTopic(t.name(), new StringDeserializer(), t.valueSerde().deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private void send(List<SampleBlock> blocks) {
        for (SampleBlock b : blocks) {
            samples.pipeInput(b.bedId(), SampleBlockCodec.encode(b));
        }
    }

    private static TestBlocks psg(double rate) {
        return new TestBlocks("bed-1", "amp/eeg", rate)
                .channel("EEG Fpz-Cz", ChannelType.EEG, TestBlocks.index())
                .channel("EEG Pz-Oz", ChannelType.EEG, TestBlocks.index())
                .channel("EOG horizontal", ChannelType.EOG, TestBlocks.index());
    }

    @Test
    void sc4001ReplayYieldsTenEpochsBitExactToTheEdf() throws Exception {
        SnippetEdf edf = SnippetEdf.sc4001();
        send(edf.sc4001Blocks("bed-sc4001", TestBlocks.SESSION));
        List<Epoch> out = epochs.readValuesToList();
        assertThat(out).hasSize(10);
        String[] inputs = {"EEG Fpz-Cz", "EEG Pz-Oz", "EOG horizontal"};
        for (Epoch e : out) {
            assertThat(e.bedId()).isEqualTo("bed-sc4001");
            assertThat(e.channelLabels()).containsExactly("Fpz-Cz", "Pz-Oz", "EOG");
            for (int c = 0; c < 3; c++) {
                float[] want = Arrays.copyOfRange(edf.signal(inputs[c]), (int) e.index() * 3000, (int) e.index() * 3000 + 3000);
                assertThat(e.samples()[c]).as("epoch %d %s", e.index(), inputs[c]).containsExactly(want);
            }
            assertThat(e.quality()).doesNotContain(QualityFlag.GAP, QualityFlag.NAN, QualityFlag.MISSING_CHANNEL);
        }
        assertThat(out).extracting(Epoch::index).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void epochBoundariesHoldForStraddlingBlocks() {
        send(psg(100).blocks(6100, 70));
        List<Epoch> out = epochs.readValuesToList();
        assertThat(out).hasSize(2);
        assertThat(out.get(1).samples()[0][0]).isEqualTo(3000f);
        assertThat(out.get(1).startMicros()).isEqualTo(TestBlocks.SESSION + 30_000_000L);
    }

    @Test
    void gapsAreNanAndFlagged() {
        List<SampleBlock> blocks = new ArrayList<>(psg(100).blocks(6000, 100));
        blocks.remove(45);
        send(blocks);
        List<Epoch> out = epochs.readValuesToList();
        assertThat(out).hasSize(2);
        assertThat(out.get(0).quality()).isEmpty();
        assertThat(out.get(1).quality()).containsExactly(QualityFlag.GAP);
        assertThat(out.get(1).samples()[1][1499]).isEqualTo(4499f);
        assertThat(out.get(1).samples()[1][1500]).isNaN();
        assertThat(out.get(1).samples()[1][1599]).isNaN();
        assertThat(out.get(1).samples()[1][1600]).isEqualTo(4600f);
    }

    @Test
    void duplicatesAreDroppedAndCounted() {
        List<SampleBlock> blocks = psg(100).blocks(3000, 100);
        send(blocks);
        send(blocks.subList(10, 20));
        send(psg(100).blocks(6000, 100).subList(30, 60));
        assertThat(epochs.readValuesToList()).extracting(Epoch::index).containsExactly(0L, 1L);
        assertThat(metrics.duplicates.get()).isEqualTo(10);
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void outOfOrderBlockIsDeadLettered() {
        List<SampleBlock> blocks = new ArrayList<>(psg(100).blocks(3000, 100));
        SampleBlock late = blocks.remove(3);
        blocks.add(8, late);
        send(blocks);
        DeadLetter d = deadLetters.readValue();
        assertThat(d.reason()).contains("block 3", "amp/eeg", "bed-1", "after block");
        assertThat(d.offset()).isEqualTo(8);
        assertThat(metrics.deadLetters).containsEntry("out_of_order", 1);
        assertThat(epochs.readValuesToList()).hasSize(1);
    }

    @Test
    void wrongSampleRateIsDeadLettered() {
        send(psg(100).blocks(500, 100));
        send(List.of(psg(256).block(5, 500, 256)));
        DeadLetter d = deadLetters.readValue();
        assertThat(d.reason()).contains("block 5", "256.0 Hz", "100.0 Hz");
        assertThat(d.sourceTopic()).isEqualTo(Topics.SAMPLES.name());
        assertThat(d.offset()).isEqualTo(5);
        assertThat(d.key()).isEqualTo("bed-1");
        assertThat(metrics.deadLetters).containsEntry("rate", 1);
    }

    @Test
    void truncatedBlockIsDeadLetteredWithItsOffsetAndTheTopologyGoesOn() {
        List<SampleBlock> blocks = psg(100).blocks(3000, 100);
        send(blocks.subList(0, 4));
        byte[] whole = SampleBlockCodec.encode(blocks.get(4));
        byte[] truncated = Arrays.copyOf(whole, whole.length - 37);
        samples.pipeInput("bed-1", truncated);
        samples.pipeInput("bed-1", new byte[] {1, 2, 3});
        samples.pipeInput("bed-1", (byte[]) null);
        send(blocks.subList(4, 30));
        List<DeadLetter> d = deadLetters.readValuesToList();
        assertThat(d).hasSize(3);
        assertThat(d.get(0).offset()).isEqualTo(4);
        assertThat(d.get(0).partition()).isEqualTo(0);
        assertThat(d.get(0).reason()).contains("truncated");
        assertThat(d.get(0).payloadBytes()).isEqualTo(truncated.length);
        assertThat(d.get(1).offset()).isEqualTo(5);
        assertThat(d.get(2).offset()).isEqualTo(6);
        assertThat(metrics.deadLetters).containsEntry("decode", 2).containsEntry("null", 1);
        List<Epoch> out = epochs.readValuesToList();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).quality()).isEmpty();
    }

    @Test
    void blockKeyedToAnotherBedIsDeadLettered() {
        SampleBlock b = psg(100).block(0, 0, 100);
        samples.pipeInput("bed-2", SampleBlockCodec.encode(b));
        assertThat(deadLetters.readValue().reason()).contains("keyed bed-2");
    }

    @Test
    void legWindowsFromTheNoxRecordingHave4801SamplesPerLegAtTheHop() throws Exception {
        SnippetEdf nox = SnippetEdf.noxLegs();
        send(nox.source("bed-nox", TestBlocks.SESSION, "nox/200", "Left Leg", "Right Leg", "F4-M1", "O2-M1", "E1-M2"));
        List<LegWindow> out = legs.readValuesToList();
        assertThat(out).hasSize((24000 - LegWindow.SAMPLES) / 2400 + 1);
        for (LegWindow w : out) {
            int first = (int) w.index() * 2400;
            assertThat(w.left()).containsExactly(Arrays.copyOfRange(nox.signal("Left Leg"), first, first + LegWindow.SAMPLES));
            assertThat(w.right()).containsExactly(Arrays.copyOfRange(nox.signal("Right Leg"), first, first + LegWindow.SAMPLES));
            assertThat(w.startMicros()).isEqualTo(TestBlocks.SESSION + first * 5_000L);
        }
        // the same 200-Hz source feeds the stager through the 200 -> 100 Hz resampler
        List<Epoch> e = epochs.readValuesToList();
        assertThat(e).hasSize(4);
        assertThat(e.get(0).samples()[0]).hasSize(3000);
        assertThat(e.get(0).quality()).doesNotContain(QualityFlag.MISSING_CHANNEL, QualityFlag.GAP);
    }

    @Test
    void resamples256HzTo100HzWithAntiAliasing() {
        TestBlocks t = new TestBlocks("bed-1", "amp/eeg", 256)
                .channel("EEG C4-M1", ChannelType.EEG, TestBlocks.sine(50, 10, 256))
                .channel("EEG O1-M2", ChannelType.EEG, TestBlocks.sine(50, 45, 256))
                .channel("LOC", ChannelType.EOG, TestBlocks.sine(50, 70, 256));
        send(t.blocks(256 * 31, 256));
        List<Epoch> out = epochs.readValuesToList();
        assertThat(out).hasSize(1);
        float[][] s = out.get(0).samples();
        assertThat(s[0]).hasSize(3000);
        assertThat(TestBlocks.amplitude(s[0], 10, 100, 100, 2800)).isBetween(49.5, 50.5);
        assertThat(TestBlocks.amplitude(s[1], 45, 100, 100, 2800)).isLessThan(0.5);
        assertThat(TestBlocks.amplitude(s[2], 30, 100, 100, 2800)).isLessThan(0.5);
    }

    @Test
    void needleEmgIsCutIntoSegments() {
        TestBlocks t = new TestBlocks("emg-lab", "n2001", 23437.5).channel("needle", ChannelType.EMG_NEEDLE,
                i -> (float) Math.sin(i / 10.0));
        long pos = 0;
        for (int seq = 0; seq < 10; seq++) {
            samples.pipeInput("emg-lab", SampleBlockCodec.encode(t.block(seq, pos, 11719)));
            pos += 11719;
        }
        List<EmgSegment> out = emg.readValuesToList();
        assertThat(out).hasSize((int) (pos / 23436));
        assertThat(out).allSatisfy(s -> {
            assertThat(s.samples()).hasSize(23436);
            assertThat(s.recordingId()).isEqualTo("n2001");
            assertThat(s.samples()[0]).isEqualTo((float) Math.sin(s.index() * 23436 / 10.0));
        });
    }

    @Test
    void anExceptionWhileApplyingABlockIsDeadLetteredAndTheBedGoesOn() {
        TestBlocks many = new TestBlocks("bed-1", "amp/needles", 1000);
        for (int c = 0; c < 65; c++) {
            many.channel("needle " + c, ChannelType.EMG_NEEDLE, TestBlocks.index());
        }
        send(List.of(many.block(0, 0, 100)));
        DeadLetter d = deadLetters.readValue();
        assertThat(d.reason()).contains("block 0", "amp/needles", "more than 64 EMG recordings");
        assertThat(metrics.deadLetters).containsEntry("error", 1);
        send(psg(100).blocks(3000, 100));
        assertThat(epochs.readValuesToList()).hasSize(1);
    }

    @Test
    void anIdleNeedleRecordingIsClosedByTheWallClockWithItsPartialTailAsLastSegment() {
        start(SpineConfig.defaults().withEmg(23436, 23436).withEmgCloseIdle(3000));
        TestBlocks t = new TestBlocks("emg-lab", "n2001", 23437.5).channel("needle", ChannelType.EMG_NEEDLE,
                i -> (float) (i % 977));
        long pos = 0;
        for (int seq = 0; seq < 5; seq++) {
            samples.pipeInput("emg-lab", SampleBlockCodec.encode(t.block(seq, pos, 23437)));
            pos += 23437;
        }
        List<EmgSegment> full = emg.readValuesToList();
        assertThat(full).hasSize(5).noneMatch(EmgSegment::last);
        driver.advanceWallClockTime(java.time.Duration.ofMillis(2000));
        assertThat(emg.isEmpty()).as("not idle long enough yet").isTrue();
        driver.advanceWallClockTime(java.time.Duration.ofMillis(1500));
        List<EmgSegment> closing = emg.readValuesToList();
        assertThat(closing).hasSize(1);
        EmgSegment last = closing.get(0);
        assertThat(last.last()).isTrue();
        assertThat(last.index()).isEqualTo(5);
        assertThat(last.quality()).contains(QualityFlag.PARTIAL);
        int tail = (int) (pos - 5 * 23436L);
        assertThat(last.samples()).hasSize(23436);
        assertThat(last.samples()[tail - 1]).isEqualTo((float) ((pos - 1) % 977));
        assertThat(last.samples()[tail]).isNaN();
        assertThat(metrics.emgIdleChecks.get()).as("the check ran while the recording was open").isPositive();
        int checks = metrics.emgIdleChecks.get();
        for (int i = 0; i < 10; i++) {
            driver.advanceWallClockTime(java.time.Duration.ofMillis(1000));
        }
        assertThat(emg.isEmpty()).as("a closed recording is closed once").isTrue();
        assertThat(metrics.emgIdleChecks.get()).as("no check runs (no transaction) once none is open").isEqualTo(checks);
        // blocks resuming after the close start the recording again at segment 0
        samples.pipeInput("emg-lab", SampleBlockCodec.encode(t.block(5, pos, 23437)));
        assertThat(emg.readValuesToList()).hasSize(1).allSatisfy(s -> assertThat(s.index()).isZero());
    }

    @Test
    void aRecordingEndingOnASegmentBoundaryIsClosedWithAnAllNanMarker() {
        start(SpineConfig.defaults().withEmg(1000, 1000).withEmgCloseIdle(1000));
        TestBlocks t = new TestBlocks("emg-lab", "n2001", 23437.5).channel("needle", ChannelType.EMG_NEEDLE,
                TestBlocks.index());
        samples.pipeInput("emg-lab", SampleBlockCodec.encode(t.block(0, 0, 3000)));
        assertThat(emg.readValuesToList()).hasSize(3);
        driver.advanceWallClockTime(java.time.Duration.ofMillis(1500));
        EmgSegment last = emg.readValue();
        assertThat(last.last()).isTrue();
        assertThat(last.index()).isEqualTo(3);
        assertThat(last.quality()).contains(QualityFlag.PARTIAL, QualityFlag.GAP);
        assertThat(last.samples()).hasSize(1000);
        for (float x : last.samples()) {
            assertThat(x).isNaN();
        }
    }

    @Test
    void withoutANeedleRecordingTheIdleCheckNeverRuns() {
        start(SpineConfig.defaults().withEmgCloseIdle(3000));
        send(psg(100).blocks(3000, 100));
        assertThat(epochs.readValuesToList()).hasSize(1);
        for (int i = 0; i < 20; i++) {
            driver.advanceWallClockTime(java.time.Duration.ofMillis(1000));
        }
        assertThat(metrics.emgIdleChecks.get()).isZero();
    }

    @Test
    void aSecondRecordingOpenedAfterTheFirstClosedIsClosedToo() {
        start(SpineConfig.defaults().withEmg(1000, 1000).withEmgCloseIdle(1000));
        TestBlocks t = new TestBlocks("emg-lab", "n2001", 23437.5).channel("needle", ChannelType.EMG_NEEDLE,
                TestBlocks.index());
        samples.pipeInput("emg-lab", SampleBlockCodec.encode(t.block(0, 0, 1500)));
        driver.advanceWallClockTime(java.time.Duration.ofMillis(1500));
        assertThat(emg.readValuesToList()).hasSize(2).last().satisfies(s -> assertThat(s.last()).isTrue());
        driver.advanceWallClockTime(java.time.Duration.ofMillis(1500));
        int checks = metrics.emgIdleChecks.get();
        samples.pipeInput("emg-lab", SampleBlockCodec.encode(t.block(1, 1500, 1500)));
        assertThat(emg.readValuesToList()).hasSize(1).allSatisfy(s -> assertThat(s.last()).isFalse());
        driver.advanceWallClockTime(java.time.Duration.ofMillis(1500));
        assertThat(emg.readValuesToList()).hasSize(1).allSatisfy(s -> assertThat(s.last()).isTrue());
        assertThat(metrics.emgIdleChecks.get()).isGreaterThan(checks);
    }

    @Test
    void closeIdleZeroNeverClosesARecording() {
        start(SpineConfig.defaults().withEmg(1000, 1000).withEmgCloseIdle(0));
        TestBlocks t = new TestBlocks("emg-lab", "n2001", 23437.5).channel("needle", ChannelType.EMG_NEEDLE,
                TestBlocks.index());
        samples.pipeInput("emg-lab", SampleBlockCodec.encode(t.block(0, 0, 2500)));
        assertThat(emg.readValuesToList()).hasSize(2);
        driver.advanceWallClockTime(java.time.Duration.ofHours(1));
        assertThat(emg.isEmpty()).isTrue();
    }
}
