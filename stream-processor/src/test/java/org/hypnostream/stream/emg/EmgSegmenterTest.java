package org.hypnostream.stream.emg;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.hypnostream.common.wire.ChannelType;
import org.hypnostream.common.wire.EmgSegment;
import org.hypnostream.common.wire.QualityFlag;
import org.hypnostream.common.wire.SampleBlock;
import org.hypnostream.stream.SpineConfig;
import org.hypnostream.stream.TestBlocks;
import org.hypnostream.stream.signal.MemoryChunks;
import org.hypnostream.stream.signal.StateWrites;
import org.junit.jupiter.api.Test;

class EmgSegmenterTest {
    private static final double RATE = 23437.5;

    private static TestBlocks needle() {
        return new TestBlocks("emg-lab", "n2001", RATE).channel("needle", ChannelType.EMG_NEEDLE, i -> (float) (i % 1000));
    }

    private static EmgSegmenter roundTrip(EmgSegmenter s, SpineConfig config) throws IOException {
        MemoryChunks chunks = new MemoryChunks();
        StateWrites w = new StateWrites(1);
        byte[] head = s.toBytes(w, "m");
        chunks.apply(w);
        return EmgSegmenter.fromBytes("emg-lab", TestBlocks.SESSION, config, head, chunks, "m");
    }

    @Test
    void segmentsHaveTheConfiguredLengthAndHopAtTheRecordingRate() throws IOException {
        SpineConfig config = SpineConfig.defaults().withEmg(23437, 11718);
        EmgSegmenter s = new EmgSegmenter("emg-lab", TestBlocks.SESSION, config);
        List<EmgSegment> out = new ArrayList<>();
        long first = 46875; // recording starts 2 s into the session
        long pos = first;
        for (int seq = 0; seq < 12; seq++) {
            SampleBlock b = needle().block(seq, pos, 5859);
            if (seq == 6) {
                s = roundTrip(s, config);
            }
            out.addAll(s.accept(b, pos, false));
            pos += 5859;
        }
        long total = pos - first;
        assertThat(out).hasSize((int) ((total - 23437) / 11718 + 1));
        for (EmgSegment e : out) {
            long start = first + e.index() * 11718;
            assertThat(e.recordingId()).isEqualTo("n2001");
            assertThat(e.samples()).hasSize(23437);
            assertThat(e.samples()[0]).isEqualTo((float) (start % 1000));
            assertThat(e.samples()[23436]).isEqualTo((float) ((start + 23436) % 1000));
            assertThat(e.sampleRateHz()).isEqualTo(RATE);
            assertThat(e.startMicros()).isEqualTo(TestBlocks.SESSION + Math.round(start * 1e6 / RATE));
            assertThat(e.last()).isFalse();
            assertThat(e.quality()).isEmpty();
        }
    }

    @Test
    void gapInsideASegmentIsNanAndFlagged() {
        EmgSegmenter s = new EmgSegmenter("emg-lab", TestBlocks.SESSION, SpineConfig.defaults());
        List<EmgSegment> out = new ArrayList<>();
        out.addAll(s.accept(needle().block(0, 0, 10000), 0, false));
        out.addAll(s.accept(needle().block(2, 20000, 10000), 20000, false));
        assertThat(out).hasSize(1);
        assertThat(out.get(0).quality()).containsExactly(QualityFlag.GAP);
        assertThat(out.get(0).samples()[15000]).isNaN();
        assertThat(out.get(0).samples()[20000]).isEqualTo(0f);
    }

    @Test
    void blocksWithoutNeedleChannelsAreIgnored() {
        SampleBlock eeg = new TestBlocks("bed-1", "amp/eeg", 100).channel("EEG Fpz-Cz", ChannelType.EEG,
                TestBlocks.index()).block(0, 0, 100);
        assertThat(new EmgSegmenter("bed-1", TestBlocks.SESSION, SpineConfig.defaults()).accept(eeg, 0, false)).isNull();
    }

    @Test
    void closeIdleClosesOnlyIdleRecordingsAndSurvivesAStateRoundTrip() throws IOException {
        SpineConfig config = SpineConfig.defaults().withEmg(1000, 1000);
        EmgSegmenter s = new EmgSegmenter("emg-lab", TestBlocks.SESSION, config);
        TestBlocks a = new TestBlocks("emg-lab", "rec-a", RATE).channel("needle", ChannelType.EMG_NEEDLE, TestBlocks.index());
        TestBlocks b = new TestBlocks("emg-lab", "rec-b", RATE).channel("needle", ChannelType.EMG_NEEDLE, TestBlocks.index());
        assertThat(s.accept(a.block(0, 0, 1500), 0, false, 1_000_000)).hasSize(1);
        assertThat(s.accept(b.block(0, 0, 500), 0, false, 4_000_000)).isEmpty();
        s = roundTrip(s, config);
        List<EmgSegment> closed = s.closeIdle(5_000_000, 2_000_000);
        assertThat(closed).hasSize(1);
        assertThat(closed.get(0).recordingId()).isEqualTo("rec-a");
        assertThat(closed.get(0).index()).isEqualTo(1);
        assertThat(closed.get(0).last()).isTrue();
        assertThat(closed.get(0).samples()[499]).isEqualTo(1499f);
        assertThat(closed.get(0).samples()[500]).isNaN();
        assertThat(s.openRecordings()).isEqualTo(1);
        List<EmgSegment> flushed = s.flush();
        assertThat(flushed).hasSize(1).allSatisfy(e -> {
            assertThat(e.recordingId()).isEqualTo("rec-b");
            assertThat(e.last()).isTrue();
            assertThat(e.index()).isZero();
        });
        assertThat(s.openRecordings()).isZero();
    }
}
