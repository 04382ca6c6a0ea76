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
import org.junit.jupiter.api.Test;

class EmgSegmenterTest {
    private static final double RATE = 23437.5;

    private static TestBlocks needle() {
        return new TestBlocks("emg-lab", "n2001", RATE).channel("needle", ChannelType.EMG_NEEDLE, i -> (float) (i % 1000));
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
                s = EmgSegmenter.fromBytes("emg-lab", TestBlocks.SESSION, config, s.toBytes());
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
}
