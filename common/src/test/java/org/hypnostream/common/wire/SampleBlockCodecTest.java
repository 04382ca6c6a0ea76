package org.hypnostream.common.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SampleBlockCodecTest {

    static SampleBlock block(long seq, int channels, int n) {
        float[][] s = new float[channels][n];
        Random r = new Random(seq);
        for (float[] row : s) {
            for (int i = 0; i < n; i++) {
                row[i] = (float) r.nextGaussian() * 50f;
            }
        }
        List<ChannelInfo> ch = new java.util.ArrayList<>();
        for (int c = 0; c < channels; c++) {
            ch.add(ChannelInfo.microvolts("EEG C" + c, ChannelType.EEG));
        }
        return new SampleBlock("bed-1", "amp-1/256hz", seq, 1_000_000L, 1_000_000L + seq * 1_000_000L,
                1_000_500L + seq * 1_000_000L, 256.0, ch, s);
    }

    @Test
    void roundTripKeepsEveryFieldAndSampleBitExact() {
        SampleBlock b = block(7, 9, 256);
        b.samples()[3][10] = Float.NaN;
        SampleBlock back = SampleBlockCodec.decode(SampleBlockCodec.encode(b));
        assertThat(back).isEqualTo(b);
        assertThat(Float.isNaN(back.samples()[3][10])).isTrue();
        assertThat(back.channels().get(4).label()).isEqualTo("EEG C4");
        assertThat(back.endDeviceTimeMicros()).isEqualTo(b.deviceTimeMicros() + 1_000_000L);
    }

    @Test
    void everyTruncationIsRejectedWithAMessageNotAnIndexError() {
        byte[] bytes = SampleBlockCodec.encode(block(1, 2, 16));
        for (int len = 0; len < bytes.length; len++) {
            byte[] cut = Arrays.copyOf(bytes, len);
            assertThatThrownBy(() -> SampleBlockCodec.decode(cut))
                    .isInstanceOf(BlockFormatException.class)
                    .hasMessageContaining("SampleBlock");
        }
    }

    @Test
    void everySingleBitFlipIsDetected() {
        byte[] bytes = SampleBlockCodec.encode(block(2, 2, 8));
        for (int i = 0; i < bytes.length; i++) {
            byte[] bad = bytes.clone();
            bad[i] ^= 0x10;
            assertThatThrownBy(() -> SampleBlockCodec.decode(bad)).isInstanceOf(BlockFormatException.class);
        }
    }

    @Test
    void unknownVersionAndForeignBytesAreNamed() {
        byte[] bytes = SampleBlockCodec.encode(block(3, 1, 4));
        bytes[3] = 2;
        assertThatThrownBy(() -> SampleBlockCodec.decode(bytes)).hasMessageContaining("unsupported wire version 2");
        assertThatThrownBy(() -> SampleBlockCodec.decode("{\"json\":true}xxxxxxxx".getBytes()))
                .hasMessageContaining("bad magic");
    }

    @Test
    void recordRejectsAbsurdInputWithWhereAndWhat() {
        assertThatThrownBy(() -> new SampleBlock("bed-1", "amp", 4, 0, 0, 0, 1e9, List.of(
                ChannelInfo.microvolts("C3", ChannelType.EEG)), new float[][] {{1f}}))
                .hasMessageContaining("block 4 from amp of bed bed-1").hasMessageContaining("absurd sample rate");
        assertThatThrownBy(() -> new SampleBlock("bed-1", "amp", 5, 0, 0, 0, 256, List.of(
                ChannelInfo.microvolts("C3", ChannelType.EEG), ChannelInfo.microvolts("C4", ChannelType.EEG)),
                new float[][] {new float[256], new float[255]}))
                .hasMessageContaining("channel C4 has 255 samples, expected 256");
        assertThatThrownBy(() -> new SampleBlock("bed-1", "amp", 6, 0, 0, 0, 256, List.of(
                ChannelInfo.microvolts("C3", ChannelType.EEG)), new float[][] {new float[SampleBlock.MAX_SAMPLES_PER_CHANNEL + 1]}))
                .hasMessageContaining("samples per channel");
    }

    @Test
    void randomBytesNeverEscapeAsAnythingButBlockFormatException() {
        Random r = new Random(42);
        byte[] valid = SampleBlockCodec.encode(block(9, 3, 32));
        for (int i = 0; i < 2_000; i++) {
            byte[] junk = valid.clone();
            int flips = 1 + r.nextInt(8);
            for (int f = 0; f < flips; f++) {
                junk[r.nextInt(junk.length)] = (byte) r.nextInt(256);
            }
            try {
                SampleBlockCodec.decode(junk);
            } catch (BlockFormatException expected) {
                // the only allowed failure
            }
        }
    }
}
