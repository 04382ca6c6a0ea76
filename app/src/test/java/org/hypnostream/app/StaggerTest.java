package org.hypnostream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class StaggerTest {
    @Test
    void bedsSpreadEvenlyOverOneEpochFromZero() {
        Stagger s = Stagger.ONE_EPOCH;
        assertThat(s.offsetMicros(0, 4)).isZero();
        assertThat(s.offsetMicros(1, 4)).isEqualTo(7_500_000L);
        assertThat(s.offsetMicros(3, 4)).isEqualTo(22_500_000L);
        assertThat(s.lastOffsetMicros(4)).isEqualTo(22_500_000L);
        // 100 beds: 0.3 s apart, all within the epoch, strictly increasing
        for (int i = 1; i < 100; i++) {
            assertThat(s.offsetMicros(i, 100) - s.offsetMicros(i - 1, 100)).isEqualTo(300_000L);
        }
        assertThat(s.lastOffsetMicros(100)).isLessThan(30_000_000L);
    }

    @Test
    void noStaggerStartsEveryBedTogether() {
        assertThat(Stagger.NONE.offsetMicros(9, 10)).isZero();
        assertThat(Stagger.ofSeconds(0).lastOffsetMicros(500)).isZero();
    }

    @Test
    void expectedBlocksCountOnlyStartedBedsAndStopAtTheirTotal() {
        Stagger s = new Stagger(Duration.ofSeconds(10)); // 2 beds: offsets 0 and 5 s
        assertThat(s.expectedBlocks(2, 0, 2.0, 100)).isZero();
        assertThat(s.expectedBlocks(2, 4e6, 2.0, 100)).isEqualTo(8);
        assertThat(s.expectedBlocks(2, 6e6, 2.0, 100)).isEqualTo(12 + 2);
        assertThat(s.expectedBlocks(2, 1000e6, 2.0, 100)).isEqualTo(200);
    }

    @Test
    void badSpreadOrBedIsRefused() {
        assertThatThrownBy(() -> Stagger.ofSeconds(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Stagger.ofSeconds(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Stagger.ONE_EPOCH.offsetMicros(4, 4)).isInstanceOf(IllegalArgumentException.class);
    }
}
