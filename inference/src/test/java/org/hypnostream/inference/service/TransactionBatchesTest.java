package org.hypnostream.inference.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hypnostream.common.time.ManualClock;
import org.hypnostream.inference.leg.LegMovementDetector;
import org.hypnostream.inference.leg.LegRules;
import org.hypnostream.inference.runtime.MicroBatcher;
import org.junit.jupiter.api.Test;

class TransactionBatchesTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-08T00:00:00Z"));
    private final List<String> calls = new ArrayList<>();
    private final TransactionBatches<Integer, String> batches = new TransactionBatches<>();

    TransactionBatchesTest() {
        batches.put("epochs", batcher("stage", 4, Duration.ofMillis(5)));
        batches.put("legs", batcher("leg", 4, Duration.ofMillis(250)));
    }

    private MicroBatcher<Integer, String> batcher(String lane, int size, Duration wait) {
        return new MicroBatcher<>(size, wait, clock, batch -> {
            calls.add(lane + batch);
            return batch.stream().map(i -> lane + i).toList();
        }, null);
    }

    @Test
    void anOffPathInputAloneWaitsItsLongWaitThenGoesAlone() {
        batches.add("legs", 1);
        assertThat(batches.untilDue()).contains(Duration.ofMillis(250));
        clock.advance(Duration.ofMillis(249));
        assertThat(batches.flushIfDue()).isEmpty();
        assertThat(calls).isEmpty();
        clock.advance(Duration.ofMillis(1));
        assertThat(batches.flushIfDue()).containsExactly("leg1");
        assertThat(batches.pending()).isZero();
        assertThat(batches.untilDue()).isEmpty();
    }

    @Test
    void aDueStageInputCarriesEveryWaitingOffPathInputInTheSameFlush() {
        batches.add("legs", 1);
        clock.advance(Duration.ofMillis(100));
        batches.add("legs", 2);
        batches.add("epochs", 10);
        assertThat(batches.untilDue()).contains(Duration.ofMillis(5));
        clock.advance(Duration.ofMillis(4));
        assertThat(batches.flushIfDue()).isEmpty();
        clock.advance(Duration.ofMillis(1));
        // one flush = one transaction: the stage input and both leg inputs, though the legs' wait is not over
        assertThat(batches.flushIfDue()).containsExactlyInAnyOrder("stage10", "leg1", "leg2");
        assertThat(calls).containsExactlyInAnyOrder("stage[10]", "leg[1, 2]");
        assertThat(batches.pending()).isZero();
    }

    @Test
    void aFullOffPathBatchIsDueAtOnceAndEverythingPendingGoesInFullBatchesInArrivalOrder() {
        for (int i = 0; i < 9; i++) {
            batches.add("legs", i);
        }
        batches.add("epochs", 100);
        assertThat(batches.untilDue()).contains(Duration.ZERO);
        List<String> out = batches.flushIfDue();
        assertThat(out).containsSubsequence("leg0", "leg1", "leg2", "leg3", "leg4", "leg5", "leg6", "leg7", "leg8")
                .contains("stage100").hasSize(10);
        assertThat(calls).containsSubsequence("leg[0, 1, 2, 3]", "leg[4, 5, 6, 7]", "leg[8]").contains("stage[100]");
    }

    @Test
    void nothingPendingIsNeverDueAndUnknownOrRepeatedTopicsAreErrors() {
        assertThat(batches.untilDue()).isEmpty();
        assertThat(batches.flushIfDue()).isEmpty();
        assertThatThrownBy(() -> batches.add("unknown", 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown");
        assertThatThrownBy(() -> batches.put("legs", batcher("x", 1, Duration.ZERO)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("legs");
    }

    @Test
    void clearingTheBatchersDropsWhatWasPending() {
        batches.add("legs", 1);
        batches.add("epochs", 2);
        batches.batchers().forEach(MicroBatcher::clear);
        assertThat(batches.pending()).isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(batches.flushIfDue()).isEmpty();
        assertThat(calls).isEmpty();
    }

    @Test
    void theLegLaneWaitsTheOffStagePathWaitUnlessTheConfiguredWaitIsLonger() {
        LegLane leg = new LegLane(new LegMovementDetector(LegRules.wasm2016()), new SimpleMeterRegistry());
        InferenceConfig byDefault = InferenceConfig.fromEnvironment(Map.of("inference.metrics.port", "-1"));
        InferenceConfig longWait = InferenceConfig.fromEnvironment(
                Map.of("inference.metrics.port", "-1", "inference.batch.wait.ms", "400"));
        assertThat(leg.offStagePath()).isTrue();
        assertThat(TransactionLoop.batchWait(byDefault, leg)).isEqualTo(TransactionLoop.OFF_STAGE_PATH_WAIT)
                .isEqualTo(Duration.ofMillis(250));
        assertThat(TransactionLoop.batchWait(longWait, leg)).isEqualTo(Duration.ofMillis(400));
        assertThat(byDefault.batchWait()).isEqualTo(Duration.ofMillis(5));
    }
}
