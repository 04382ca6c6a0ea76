package org.hypnostream.stream.legs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.hypnostream.common.event.LegSide;
import org.hypnostream.common.wire.ChannelInfo;
import org.hypnostream.common.wire.ChannelType;
import org.hypnostream.common.wire.LegWindow;
import org.hypnostream.common.wire.QualityFlag;
import org.hypnostream.common.wire.SampleBlock;
import org.hypnostream.stream.SpineConfig;
import org.hypnostream.stream.TestBlocks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LegWindowAssemblerTest {

    private static List<LegWindow> feed(LegWindowAssembler a, List<SampleBlock> blocks) {
        List<LegWindow> out = new ArrayList<>();
        long pos = 0;
        for (SampleBlock b : blocks) {
            List<LegWindow> w = a.accept(b, pos, false);
            out.addAll(w);
            pos += b.samplesPerChannel();
        }
        return out;
    }

    @ParameterizedTest
    @CsvSource({"2400", "1000", "4801"})
    void windowsHave4801SamplesPerLegAtTheConfiguredHop(int hop) {
        SpineConfig config = SpineConfig.defaults().withLegHop(hop);
        TestBlocks t = new TestBlocks("bed-1", "nox/legs", 200)
                .channel("Left Leg", ChannelType.OTHER, TestBlocks.index())
                .channel("Right Leg", ChannelType.OTHER, i -> (float) (i + 0.5));
        long total = 200 * 120;
        List<LegWindow> w = feed(new LegWindowAssembler("bed-1", TestBlocks.SESSION, config), t.blocks(total, 200));
        assertThat(w).hasSize((int) ((total - LegWindow.SAMPLES) / hop + 1));
        for (LegWindow x : w) {
            assertThat(x.left()).hasSize(LegWindow.SAMPLES);
            assertThat(x.right()).hasSize(LegWindow.SAMPLES);
            assertThat(x.hopSamples()).isEqualTo(hop);
            assertThat(x.sampleRateHz()).isEqualTo(200.0);
            long first = x.index() * hop;
            assertThat(x.left()[0]).isEqualTo((float) first);
            assertThat(x.left()[LegWindow.SAMPLES - 1]).isEqualTo((float) (first + LegWindow.SAMPLES - 1));
            assertThat(x.right()[10]).isEqualTo((float) (first + 10.5));
            assertThat(x.startMicros()).isEqualTo(TestBlocks.SESSION + first * 5_000L);
            assertThat(x.leftQuality()).isEmpty();
            assertThat(x.rightQuality()).isEmpty();
        }
    }

    @Test
    void missingLegIsNanAndMissingChannelOnThatSideOnly() {
        TestBlocks t = new TestBlocks("bed-1", "amp/legs", 200)
                .channel("EMG LAT-R", ChannelType.OTHER, TestBlocks.sine(20, 30, 200));
        List<LegWindow> w = feed(new LegWindowAssembler("bed-1", TestBlocks.SESSION, SpineConfig.defaults()),
                t.blocks(6000, 200));
        assertThat(w).hasSize(1);
        assertThat(w.get(0).leftQuality()).containsExactly(QualityFlag.MISSING_CHANNEL);
        assertThat(w.get(0).left()).containsOnly(Float.NaN);
        assertThat(w.get(0).rightQuality()).isEmpty();
    }

    @Test
    void legsAt1000HzAreResampledTo200() {
        TestBlocks t = new TestBlocks("bed-1", "amp/legs", 1000)
                .channel("LLEG", ChannelType.OTHER, TestBlocks.sine(50, 20, 1000))
                .channel("RLEG", ChannelType.OTHER, TestBlocks.sine(50, 150, 1000));
        List<LegWindow> w = feed(new LegWindowAssembler("bed-1", TestBlocks.SESSION, SpineConfig.defaults()),
                t.blocks(1000 * 40, 1000));
        assertThat(w).hasSize(2);
        double left = 0;
        double right = 0;
        for (int i = 200; i < LegWindow.SAMPLES; i++) {
            left = Math.max(left, Math.abs(w.get(1).left()[i]));
            right = Math.max(right, Math.abs(w.get(1).right()[i]));
        }
        assertThat(left).isBetween(45.0, 50.5);
        assertThat(right).isLessThan(0.5); // 150 Hz is above the 200-Hz Nyquist: removed, not aliased
    }

    @Test
    void nonLegChannelsAreIgnored() {
        SampleBlock eeg = new TestBlocks("bed-1", "amp/eeg", 100).channel("EEG Fpz-Cz", ChannelType.EEG,
                TestBlocks.index()).block(0, 0, 100);
        assertThat(new LegWindowAssembler("bed-1", TestBlocks.SESSION, SpineConfig.defaults()).accept(eeg, 0, false)).isNull();
    }

    @ParameterizedTest
    @CsvSource({
        "Left Leg, OTHER, LEFT", "Right Leg, OTHER, RIGHT", "LAT-L, OTHER, LEFT", "Leg/R, EMG_CHIN, RIGHT",
        "RLEG, OTHER, RIGHT", "tibialis left, OTHER, LEFT", "x, EMG_LEG_LEFT, LEFT", "anything, EMG_LEG_RIGHT, RIGHT",
        "LAT1-LAT2, OTHER, ", "Leg, OTHER, ", "EEG C4-M1, EEG, ", "Left Leg, EMG_NEEDLE, ", "Resp, OTHER, "})
    void recognisesLegChannels(String label, ChannelType type, LegSide side) {
        assertThat(LegChannels.side(new ChannelInfo(label, type, "uV"))).isEqualTo(side);
    }
}
