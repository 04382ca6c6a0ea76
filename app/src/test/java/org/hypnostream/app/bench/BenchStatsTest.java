package org.hypnostream.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The arithmetic behind the benchmark verdicts: percentiles and "kept up". */
class BenchStatsTest {

    @Test
    void percentilesAreNearestRankInMilliseconds() {
        long[] micros = new long[100];
        for (int i = 0; i < 100; i++) {
            micros[i] = (100 - i) * 1000L; // 1..100 ms, unsorted
        }
        LatencyStats s = LatencyStats.ofMicros(micros);
        assertThat(s.count()).isEqualTo(100);
        assertThat(s.p50Millis()).isEqualTo(50.0);
        assertThat(s.p95Millis()).isEqualTo(95.0);
        assertThat(s.p99Millis()).isEqualTo(99.0);
        assertThat(s.maxMillis()).isEqualTo(100.0);
        assertThat(micros[0]).as("input left unsorted").isEqualTo(100_000L);
    }

    @Test
    void noLatenciesGiveNaNNotZero() {
        LatencyStats s = LatencyStats.ofMicros(new long[0]);
        assertThat(s.count()).isZero();
        assertThat(s.p99Millis()).isNaN();
    }

    @Test
    void growingLagDidNotKeepUpSteadyLagDid() {
        LagTimeline growing = new LagTimeline();
        LagTimeline steady = new LagTimeline();
        for (int i = 0; i < 30; i++) {
            growing.add(new LagTimeline.Sample(i, i * 100L, 0, 0, 0, 0, 0));
            steady.add(new LagTimeline.Sample(i, 50 + (i % 3) * 10L, 0, 0, 0, 0, 0));
        }
        assertThat(growing.keptUp(LagTimeline.Sample::outboxLag, 20)).isFalse();
        assertThat(steady.keptUp(LagTimeline.Sample::outboxLag, 20)).isTrue();
        assertThat(growing.keptUp(LagTimeline.Sample::spineLag, 0)).as("a lag that stayed 0").isTrue();
        assertThat(growing.json()).hasSize(30);
    }
}
