package org.hypnostream.stream;

import java.util.ArrayList;
import java.util.List;
import org.hypnostream.common.wire.ChannelType;
import org.hypnostream.common.wire.SampleBlock;

/**
 * A deterministic bedside montage for state tests: a PSG amplifier at 256 Hz (two EEG, one EOG, both legs; all
 * resampled by the spine) and a needle-EMG amplifier at 2 kHz, in 1-s blocks, interleaved as a bed sends them.
 * The same definition generated the version-1 state fixture under {@code src/test/resources/spine-state-v1}.
 */
final class SpineMontage {
    static final String BED = "bed-7";
    static final int PSG_HZ = 256;
    static final int NEEDLE_HZ = 2000;

    private static TestBlocks psg() {
        return new TestBlocks(BED, "amp/psg", PSG_HZ)
                .channel("EEG Fpz-Cz", ChannelType.EEG, i -> (float) (40 * Math.sin(i * 0.071) + (i * 7919 % 13) - 6))
                .channel("EEG Pz-Oz", ChannelType.EEG, i -> (float) (25 * Math.sin(i * 0.23) + (i * 104729 % 11) - 5))
                .channel("EOG horizontal", ChannelType.EOG, i -> (float) (60 * Math.sin(i * 0.011)))
                .channel("Left Leg", ChannelType.EMG_LEG_LEFT, i -> (float) ((i * 31 % 17) - 8 + 5 * Math.sin(i * 0.9)))
                .channel("Right Leg", ChannelType.EMG_LEG_RIGHT, i -> (float) ((i * 37 % 19) - 9 + 3 * Math.sin(i * 1.3)));
    }

    private static TestBlocks needle() {
        return new TestBlocks(BED, "needle-1", NEEDLE_HZ)
                .channel("needle", ChannelType.EMG_NEEDLE, i -> (float) (100 * Math.sin(i * 0.05) + (i % 23)));
    }

    private SpineMontage() {
    }

    /** {@code seconds} 1-s blocks of each amplifier, PSG then needle per second. */
    static List<SampleBlock> blocks(int seconds) {
        TestBlocks psg = psg();
        TestBlocks needle = needle();
        List<SampleBlock> out = new ArrayList<>();
        for (int s = 0; s < seconds; s++) {
            out.add(psg.block(s, (long) s * PSG_HZ, PSG_HZ));
            out.add(needle.block(s, (long) s * NEEDLE_HZ, NEEDLE_HZ));
        }
        return out;
    }
}
