package org.hypnostream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.hypnostream.common.wire.ChannelInfo;
import org.hypnostream.common.wire.ChannelType;
import org.hypnostream.common.wire.Epoch;
import org.hypnostream.common.wire.QualityFlag;
import org.hypnostream.common.wire.SampleBlock;
import org.hypnostream.stream.signal.Admission;
import org.junit.jupiter.api.Test;

class BedSpineTest {
    private static final SpineConfig CONFIG = SpineConfig.defaults();

    private static TestBlocks psg() {
        return new TestBlocks("bed-1", "amp/eeg", 100)
                .channel("EEG Fpz-Cz", ChannelType.EEG, TestBlocks.index())
                .channel("EEG Pz-Oz", ChannelType.EEG, TestBlocks.index())
                .channel("EOG horizontal", ChannelType.EOG, TestBlocks.index());
    }

    private static List<SpineResult> feed(BedSpine spine, List<SampleBlock> blocks) {
        List<SpineResult> out = new ArrayList<>();
        for (SampleBlock b : blocks) {
            out.add(spine.accept(b));
        }
        return out;
    }

    private static List<Epoch> epochs(List<SpineResult> results) {
        return results.stream().flatMap(r -> r.epochs().stream()).toList();
    }

    @Test
    void duplicatesAreDroppedAndCounted() {
        List<SampleBlock> blocks = psg().blocks(6000, 100);
        List<SampleBlock> withDups = new ArrayList<>();
        for (SampleBlock b : blocks) {
            withDups.add(b);
            if (b.seq() % 7 == 3) {
                withDups.add(b);
                withDups.add(blocks.get((int) b.seq() / 2)); // an older one, replayed
            }
        }
        List<SpineResult> r = feed(new BedSpine("bed-1", TestBlocks.SESSION, CONFIG), withDups);
        assertThat(epochs(r)).isEqualTo(epochs(feed(new BedSpine("bed-1", TestBlocks.SESSION, CONFIG), blocks)));
        assertThat(epochs(r)).hasSize(2).allSatisfy(e -> assertThat(e.quality()).isEmpty());
        assertThat(r.stream().filter(SpineResult::duplicate).count()).isEqualTo(2L * 9);
        assertThat(r).allSatisfy(x -> assertThat(x.rejection()).isNull());
    }

    @Test
    void sequenceGapBecomesNanAndGap() {
        List<SampleBlock> blocks = new ArrayList<>(psg().blocks(6000, 100));
        blocks.remove(12); // samples 1200..1299 never arrive
        List<Epoch> e = epochs(feed(new BedSpine("bed-1", TestBlocks.SESSION, CONFIG), blocks));
        assertThat(e).hasSize(2);
        assertThat(e.get(0).quality()).containsExactly(QualityFlag.GAP);
        for (int i = 0; i < 3000; i++) {
            boolean missing = i >= 1200 && i < 1300;
            assertThat(Float.isNaN(e.get(0).samples()[0][i])).as("sample %d", i).isEqualTo(missing);
            if (!missing) {
                assertThat(e.get(0).samples()[0][i]).isEqualTo((float) i);
            }
        }
        assertThat(e.get(1).quality()).isEmpty();
    }

    @Test
    void lateBlockOfAGapIsRejectedAsOutOfOrder() {
        List<SampleBlock> blocks = new ArrayList<>(psg().blocks(3500, 100));
        SampleBlock late = blocks.remove(12);
        blocks.add(20, late);
        List<SpineResult> r = feed(new BedSpine("bed-1", TestBlocks.SESSION, CONFIG), blocks);
        Admission rej = r.get(20).rejection();
        assertThat(rej).isNotNull();
        assertThat(rej.reasonCode()).isEqualTo("out_of_order");
        assertThat(rej.message()).contains("block 12", "amp/eeg", "bed-1");
        assertThat(epochs(r)).hasSize(1);
        assertThat(epochs(r).get(0).quality()).containsExactly(QualityFlag.GAP);
    }

    @Test
    void changedSampleRateOrChannelSetIsRejected() {
        BedSpine spine = new BedSpine("bed-1", TestBlocks.SESSION, CONFIG);
        spine.accept(psg().block(0, 0, 100));
        SampleBlock fast = new TestBlocks("bed-1", "amp/eeg", 128)
                .channel("EEG Fpz-Cz", ChannelType.EEG, TestBlocks.index())
                .channel("EEG Pz-Oz", ChannelType.EEG, TestBlocks.index())
                .channel("EOG horizontal", ChannelType.EOG, TestBlocks.index()).block(1, 128, 128);
        Admission r = spine.accept(fast).rejection();
        assertThat(r.reasonCode()).isEqualTo("rate");
        assertThat(r.message()).contains("block 1", "128.0 Hz", "100.0 Hz");
        SampleBlock fewer = new TestBlocks("bed-1", "amp/eeg", 100)
                .channel("EEG Fpz-Cz", ChannelType.EEG, TestBlocks.index()).block(1, 100, 100);
        assertThat(spine.accept(fewer).rejection().reasonCode()).isEqualTo("channels");
        // the rejected blocks did not advance the source: block 1 proper is still accepted as contiguous
        SpineResult ok = spine.accept(psg().block(1, 100, 100));
        assertThat(ok.rejection()).isNull();
        assertThat(ok.duplicate()).isFalse();
    }

    @Test
    void deviceClockJumpIsFlaggedAndPlacementFollowsSeq() {
        TestBlocks t = psg();
        List<SampleBlock> blocks = new ArrayList<>();
        for (int s = 0; s < 30; s++) {
            long device = TestBlocks.SESSION + s * 1_000_000L + (s >= 10 ? 3_600_000_000L : 0); // +1 h at block 10
            blocks.add(t.block(s, s * 100L, 100, device));
        }
        List<Epoch> e = epochs(feed(new BedSpine("bed-1", TestBlocks.SESSION, CONFIG), blocks));
        assertThat(e).hasSize(1);
        assertThat(e.get(0).quality()).containsExactly(QualityFlag.CLOCK_JUMP);
        assertThat(e.get(0).samples()[0][2999]).isEqualTo(2999f);
    }

    @Test
    void gapPlacementUsesDeviceTimeWhenItAgreesWithSeq() {
        TestBlocks t = psg();
        BedSpine spine = new BedSpine("bed-1", TestBlocks.SESSION, CONFIG);
        spine.accept(t.block(0, 0, 100));
        // blocks 1-2 lost; block 3 starts at sample 290 by its device time (blocks were not all 100 samples)
        spine.accept(t.block(3, 290, 110));
        List<Epoch> e = new ArrayList<>();
        for (int s = 4; s < 32; s++) {
            e.addAll(spine.accept(t.block(s, 400 + (s - 4) * 100L, 100)).epochs());
        }
        assertThat(e).hasSize(1);
        assertThat(e.get(0).quality()).containsExactly(QualityFlag.GAP);
        assertThat(e.get(0).samples()[0][289]).isNaN();
        assertThat(e.get(0).samples()[0][290]).isEqualTo(290f);
        assertThat(e.get(0).samples()[0][99]).isEqualTo(99f);
    }

    @Test
    void newerSessionFlushesTheOldOneAndOlderSessionIsRejected() {
        BedSpine spine = new BedSpine("bed-1", TestBlocks.SESSION, CONFIG);
        feed(spine, psg().blocks(1500, 100));
        long later = TestBlocks.SESSION + 86_400_000_000L;
        float[][] s = {new float[100], new float[100], new float[100]};
        List<ChannelInfo> ch = List.of(ChannelInfo.microvolts("EEG Fpz-Cz", ChannelType.EEG),
                ChannelInfo.microvolts("EEG Pz-Oz", ChannelType.EEG), ChannelInfo.microvolts("EOG horizontal", ChannelType.EOG));
        SpineResult r = spine.accept(new SampleBlock("bed-1", "amp/eeg", 0, later, later, later, 100, ch, s));
        assertThat(r.epochs()).hasSize(1);
        assertThat(r.epochs().get(0).sessionStartMicros()).isEqualTo(TestBlocks.SESSION);
        assertThat(r.epochs().get(0).quality()).contains(QualityFlag.PARTIAL);
        assertThat(spine.sessionStartMicros()).isEqualTo(later);
        assertThat(spine.accept(psg().block(15, 1500, 100)).rejection().reasonCode()).isEqualTo("session");
    }

    @Test
    void stateSurvivesARestoreBetweenEveryBlock() {
        List<SampleBlock> blocks = new ArrayList<>(psg().blocks(9000, 100));
        blocks.remove(40);
        List<Epoch> straight = epochs(feed(new BedSpine("bed-1", TestBlocks.SESSION, CONFIG), blocks));
        FakeSpineStore store = new FakeSpineStore();
        List<Epoch> resumed = new ArrayList<>();
        for (SampleBlock b : blocks) {
            BedSpine spine = store.restore("bed-1", CONFIG);
            if (spine == null) {
                spine = new BedSpine("bed-1", b.sessionStartMicros(), CONFIG);
            }
            resumed.addAll(spine.accept(b).epochs());
            store.save(spine);
        }
        assertThat(resumed).hasSize(3).isEqualTo(straight);
        assertThat(store.parts[BedSpine.SOURCES]).as("the bed's one head").isNotNull();
        assertThat(store.parts[BedSpine.LEGS]).as("the older layout's leg store is not written").isNull();
    }

    @Test
    void corruptStateStartsTheBedAfresh() {
        assertThat(BedSpine.restore("bed-1", CONFIG, new byte[][] {{1, 2, 3}, null, null, null}, k -> null)).isNull();
    }
}
