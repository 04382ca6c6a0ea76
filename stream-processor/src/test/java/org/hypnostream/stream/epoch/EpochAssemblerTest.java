package org.hypnostream.stream.epoch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.hypnostream.common.wire.ChannelType;
import org.hypnostream.common.wire.Epoch;
import org.hypnostream.common.wire.QualityFlag;
import org.hypnostream.common.wire.SampleBlock;
import org.hypnostream.stream.SpineConfig;
import org.hypnostream.stream.TestBlocks;
import org.hypnostream.stream.signal.MemoryChunks;
import org.hypnostream.stream.signal.StateWrites;
import org.junit.jupiter.api.Test;

class EpochAssemblerTest {
    private static final SpineConfig CONFIG = SpineConfig.defaults();

    private static TestBlocks psg100() {
        return new TestBlocks("bed-1", "amp/eeg", 100)
                .channel("EEG Fpz-Cz", ChannelType.EEG, TestBlocks.index())
                .channel("EEG Pz-Oz", ChannelType.EEG, i -> (float) (-i))
                .channel("EOG horizontal", ChannelType.EOG, i -> (float) (i % 97 - 48));
    }

    private static List<Epoch> feed(EpochAssembler a, List<SampleBlock> blocks, long[] positions) {
        List<Epoch> out = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            List<Epoch> e = a.accept(blocks.get(i), positions[i], false);
            if (e != null) {
                out.addAll(e);
            }
        }
        return out;
    }

    private static long[] contiguous(List<SampleBlock> blocks) {
        long[] p = new long[blocks.size()];
        long pos = 0;
        for (int i = 0; i < blocks.size(); i++) {
            p[i] = pos;
            pos += blocks.get(i).samplesPerChannel();
        }
        return p;
    }

    @Test
    void epochsAreThirtySecondsAlignedToSessionStartAcrossStraddlingBlocks() {
        // 0.7-s blocks: the block [2940, 3010) straddles the 30-s boundary
        List<SampleBlock> blocks = psg100().blocks(9000 + 50, 70);
        EpochAssembler a = new EpochAssembler("bed-1", TestBlocks.SESSION, CONFIG);
        List<Epoch> epochs = new ArrayList<>();
        long[] pos = contiguous(blocks);
        for (int i = 0; i < blocks.size(); i++) {
            List<Epoch> e = a.accept(blocks.get(i), pos[i], false);
            long end = pos[i] + blocks.get(i).samplesPerChannel();
            // epoch n is out exactly once its last sample (index 3000 n + 2999) is in, not before
            assertThat(epochs.size() + e.size()).isEqualTo((int) (end / 3000));
            epochs.addAll(e);
        }
        assertThat(epochs).hasSize(3);
        for (Epoch e : epochs) {
            assertThat(e.channelLabels()).containsExactly("Fpz-Cz", "Pz-Oz", "EOG");
            assertThat(e.startMicros()).isEqualTo(TestBlocks.SESSION + e.index() * 30_000_000L);
            assertThat(e.sampleRateHz()).isEqualTo(100.0);
            assertThat(e.quality()).isEmpty();
            for (int i = 0; i < 3000; i++) {
                assertThat(e.samples()[0][i]).isEqualTo((float) (e.index() * 3000 + i));
                assertThat(e.samples()[1][i]).isEqualTo((float) -(e.index() * 3000 + i));
            }
            assertThat(e.lastBlockReceiveMicros()).isGreaterThan(TestBlocks.SESSION + (e.index() + 1) * 30_000_000L - 1_000_000);
        }
    }

    @Test
    void missingStagerChannelIsNanAndFlagged() {
        TestBlocks two = new TestBlocks("bed-1", "amp/eeg", 100)
                .channel("Fpz-Cz", ChannelType.EEG, TestBlocks.index())
                .channel("O2-M1", ChannelType.EEG, TestBlocks.index());
        List<SampleBlock> blocks = two.blocks(3000, 100);
        EpochAssembler a = new EpochAssembler("bed-1", TestBlocks.SESSION, CONFIG);
        List<Epoch> epochs = feed(a, blocks, contiguous(blocks));
        assertThat(epochs).hasSize(1);
        assertThat(epochs.get(0).quality()).containsExactly(QualityFlag.MISSING_CHANNEL);
        assertThat(epochs.get(0).samples()[2]).containsOnly(Float.NaN);
        assertThat(a.binding("Pz-Oz")).isEqualTo("amp/eeg/O2-M1");
    }

    @Test
    void blockWithoutStagerChannelsLeavesTheAssemblerAlone() {
        SampleBlock legs = new TestBlocks("bed-1", "amp/legs", 200).channel("Left Leg", ChannelType.EMG_LEG_LEFT,
                TestBlocks.index()).block(0, 0, 200);
        assertThat(new EpochAssembler("bed-1", TestBlocks.SESSION, CONFIG).accept(legs, 0, false)).isNull();
    }

    @Test
    void flatClippedAndNonFiniteChannelsAreFlagged() {
        TestBlocks t = new TestBlocks("bed-1", "amp/eeg", 100)
                .channel("EEG Fpz-Cz", ChannelType.EEG, i -> 12.5f)
                .channel("EEG Pz-Oz", ChannelType.EEG, i -> (float) Math.max(-40, Math.min(40, 100 * Math.sin(i / 20.0))))
                .channel("EOG horizontal", ChannelType.EOG, i -> i == 1234 ? Float.POSITIVE_INFINITY : (float) Math.sin(i));
        List<SampleBlock> blocks = t.blocks(3000, 100);
        List<Epoch> epochs = feed(new EpochAssembler("bed-1", TestBlocks.SESSION, CONFIG), blocks, contiguous(blocks));
        assertThat(epochs).hasSize(1);
        assertThat(epochs.get(0).quality()).containsExactlyInAnyOrder(QualityFlag.FLAT, QualityFlag.CLIPPED, QualityFlag.NAN);
        assertThat(epochs.get(0).samples()[2][1234]).isNaN();
    }

    @Test
    void cleanSineIsNotFlaggedClipped() {
        TestBlocks t = new TestBlocks("bed-1", "amp/eeg", 100)
                .channel("EEG Fpz-Cz", ChannelType.EEG, TestBlocks.sine(40, 10, 100))
                .channel("EEG Pz-Oz", ChannelType.EEG, TestBlocks.sine(80, 0.5, 100))
                .channel("EOG horizontal", ChannelType.EOG, TestBlocks.sine(80, 1, 100));
        List<SampleBlock> blocks = t.blocks(3000, 100);
        List<Epoch> epochs = feed(new EpochAssembler("bed-1", TestBlocks.SESSION, CONFIG), blocks, contiguous(blocks));
        assertThat(epochs.get(0).quality()).isEmpty();
    }

    @Test
    void sourceStartingAfterSessionStartLeavesALeadingGap() {
        List<SampleBlock> blocks = psg100().blocks(6000, 100).subList(5, 60); // samples 500..5999
        EpochAssembler a = new EpochAssembler("bed-1", TestBlocks.SESSION, CONFIG);
        long[] pos = contiguous(blocks);
        for (int i = 0; i < pos.length; i++) {
            pos[i] += 500;
        }
        List<Epoch> epochs = feed(a, blocks, pos);
        assertThat(epochs).hasSize(2);
        assertThat(epochs.get(0).quality()).containsExactly(QualityFlag.GAP);
        assertThat(epochs.get(0).samples()[0][499]).isNaN();
        assertThat(epochs.get(0).samples()[0][500]).isEqualTo(500f);
        assertThat(epochs.get(1).quality()).isEmpty();
    }

    @Test
    void stateRoundTripMidEpochGivesTheSameEpochs() throws IOException {
        TestBlocks t = new TestBlocks("bed-1", "amp/eeg", 256)
                .channel("EEG F4-M1", ChannelType.EEG, TestBlocks.sine(30, 6, 256))
                .channel("EEG O2-M1", ChannelType.EEG, TestBlocks.sine(30, 11, 256))
                .channel("E1-M2", ChannelType.EOG, TestBlocks.sine(30, 1, 256));
        List<SampleBlock> blocks = t.blocks(256 * 75, 256);
        long[] pos = contiguous(blocks);
        List<Epoch> straight = feed(new EpochAssembler("bed-1", TestBlocks.SESSION, CONFIG), blocks, pos);

        EpochAssembler a = new EpochAssembler("bed-1", TestBlocks.SESSION, CONFIG);
        MemoryChunks chunks = new MemoryChunks();
        List<Epoch> resumed = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            if (i % 17 == 5) {
                StateWrites w = new StateWrites(1);
                byte[] head = a.toBytes(w, "e");
                chunks.apply(w);
                a = EpochAssembler.fromBytes("bed-1", TestBlocks.SESSION, CONFIG, head, chunks, "e");
            }
            List<Epoch> e = a.accept(blocks.get(i), pos[i], false);
            resumed.addAll(e);
        }
        assertThat(straight).hasSize(2);
        assertThat(resumed).isEqualTo(straight);
        assertThat(straight.get(0).samples()[0]).hasSize(3000);
    }

    @Test
    void flushEmitsThePartialLastEpoch() {
        List<SampleBlock> blocks = psg100().blocks(4000, 100);
        EpochAssembler a = new EpochAssembler("bed-1", TestBlocks.SESSION, CONFIG);
        assertThat(feed(a, blocks, contiguous(blocks))).hasSize(1);
        List<Epoch> last = a.flush();
        assertThat(last).hasSize(1);
        assertThat(last.get(0).index()).isEqualTo(1);
        assertThat(last.get(0).quality()).contains(QualityFlag.PARTIAL, QualityFlag.GAP);
        assertThat(last.get(0).samples()[0][999]).isEqualTo(3999f);
        assertThat(last.get(0).samples()[0][1000]).isNaN();
    }
}
