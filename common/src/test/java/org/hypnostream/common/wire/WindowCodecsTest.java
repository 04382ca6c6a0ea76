package org.hypnostream.common.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WindowCodecsTest {

    @Test
    void epochRoundTrip() {
        float[][] s = new float[3][3000];
        s[1][5] = 12.5f;
        s[2][2999] = Float.NaN;
        Epoch e = new Epoch("bed-2", 41, 5_000_000L, 100.0, List.of("Fpz-Cz", "Pz-Oz", "EOG"), s,
                EnumSet.of(QualityFlag.GAP, QualityFlag.NAN), 77L);
        Epoch back = WindowCodecs.decodeEpoch(WindowCodecs.encodeEpoch(e));
        assertThat(back).isEqualTo(e);
        assertThat(back.startMicros()).isEqualTo(5_000_000L + 41 * 30_000_000L);
    }

    @Test
    void legWindowRoundTripAndTiming() {
        float[] l = new float[LegWindow.SAMPLES];
        float[] r = new float[LegWindow.SAMPLES];
        Arrays.fill(r, 3f);
        LegWindow w = new LegWindow("bed-3", 2, 0L, 200.0, 2400, l, r, Set.of(), EnumSet.of(QualityFlag.FLAT), 9L);
        assertThat(WindowCodecs.decodeLegWindow(WindowCodecs.encodeLegWindow(w))).isEqualTo(w);
        assertThat(w.startMicros()).isEqualTo(24_000_000L);
        assertThat(w.endMicros() - w.startMicros()).isEqualTo(24_005_000L);
        assertThatThrownBy(() -> new LegWindow("bed-3", 0, 0L, 200.0, 2400, new float[4800], r, Set.of(), Set.of(), 0L))
                .hasMessageContaining("expected 4801 per leg");
    }

    @Test
    void emgSegmentRoundTrip() {
        EmgSegment s = new EmgSegment("emg-1", "N2001A01BB01", 3, 123L, 23437.5, new float[] {1, 2, 3}, Set.of(), true, 5L);
        assertThat(WindowCodecs.decodeEmgSegment(WindowCodecs.encodeEmgSegment(s))).isEqualTo(s);
    }

    @Test
    void framesAreNotInterchangeable() {
        EmgSegment s = new EmgSegment("emg-1", "r", 0, 0L, 1000, new float[] {1}, Set.of(), false, 0L);
        byte[] bytes = WindowCodecs.encodeEmgSegment(s);
        assertThatThrownBy(() -> WindowCodecs.decodeEpoch(bytes)).isInstanceOf(BlockFormatException.class)
                .hasMessageContaining("bad magic");
    }
}
