package org.hypnostream.inference.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hypnostream.common.time.ManualClock;
import org.junit.jupiter.api.Test;

class MicroBatcherTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-21T00:00:00Z"));
    private final List<List<Integer>> calls = new ArrayList<>();
    private final List<Duration> waits = new ArrayList<>();
    private final MicroBatcher<Integer, String> batcher = new MicroBatcher<>(4, Duration.ofMillis(20), clock, batch -> {
        calls.add(List.copyOf(batch));
        return batch.stream().map(i -> "s" + i).toList();
    }, (n, w) -> waits.add(w));

    @Test
    void aPartialBatchWaitsUntilItsOldestInputIsDue() {
        batcher.add(1);
        clock.advance(Duration.ofMillis(5));
        batcher.add(2);
        assertThat(batcher.untilDue()).contains(Duration.ofMillis(15));
        assertThat(batcher.flushDue()).isEmpty();
        clock.advance(Duration.ofMillis(15));
        assertThat(batcher.untilDue()).contains(Duration.ZERO);
        assertThat(batcher.flushDue()).containsExactly("s1", "s2");
        assertThat(calls).containsExactly(List.of(1, 2));
        assertThat(waits).containsExactly(Duration.ofMillis(20));
        assertThat(batcher.untilDue()).isEmpty();
    }

    @Test
    void fullBatchesGoAtOnceInArrivalOrderAndTheRestWaits() {
        for (int i = 0; i < 10; i++) {
            batcher.add(i);
        }
        assertThat(batcher.untilDue()).contains(Duration.ZERO);
        assertThat(batcher.flushDue()).containsExactly("s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7");
        assertThat(calls).containsExactly(List.of(0, 1, 2, 3), List.of(4, 5, 6, 7));
        assertThat(batcher.pending()).isEqualTo(2);
        assertThat(batcher.flushAll()).containsExactly("s8", "s9");
        assertThat(calls).hasSize(3);
    }

    @Test
    void zeroWaitScoresWhateverIsThere() {
        MicroBatcher<Integer, Integer> b = new MicroBatcher<>(64, Duration.ZERO, clock, x -> x, null);
        b.add(7);
        assertThat(b.flushDue()).containsExactly(7);
    }

    @Test
    void clearDropsPendingAndAMiscountingScorerIsAnError() {
        batcher.add(1);
        batcher.clear();
        assertThat(batcher.pending()).isZero();
        MicroBatcher<Integer, Integer> bad = new MicroBatcher<>(2, Duration.ZERO, clock, x -> List.of(), null);
        bad.add(1);
        assertThatThrownBy(bad::flushDue).hasMessageContaining("0 outputs for a batch of 1");
        assertThatThrownBy(() -> new MicroBatcher<Integer, Integer>(0, Duration.ZERO, clock, x -> x, null))
                .hasMessageContaining("batch size 0");
    }
}
