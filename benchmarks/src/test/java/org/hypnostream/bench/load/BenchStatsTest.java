package org.hypnostream.bench.load;

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
    void receiptsAreMatchedWithTheProbesTimesAndTheUnmatchedCounted() {
        // epoch 0 of bed a: source at 1 s, produced at 1.1 s; epoch 1: source at 10 s, no production time; bed b unknown
        java.util.Map<String, StageProbe.Times> times = java.util.Map.of(StageProbe.key("a", 0), new StageProbe.Times(1_000_000, 1_100_000),
                StageProbe.key("a", 1), new StageProbe.Times(10_000_000, 0));
        java.util.List<WardClients.Receipt> receipts = java.util.List.of(new WardClients.Receipt(0, "a", 0, 1_150_000),
                new WardClients.Receipt(1, "a", 0, 1_300_000), new WardClients.Receipt(0, "a", 1, 10_200_000),
                new WardClients.Receipt(0, "b", 0, 2_000_000));
        BenchPipelineCommand.Latencies l = BenchPipelineCommand.Latencies.of(receipts,
                (bed, epoch) -> times.get(StageProbe.key(bed, epoch)), 5_000_000);
        assertThat(l.unmatched()).isEqualTo(1);
        assertThat(l.e2e().count()).isEqualTo(3);
        assertThat(l.e2e().maxMillis()).isEqualTo(300.0);
        assertThat(l.e2eSecondHalf().count()).isEqualTo(1);
        assertThat(l.e2eSecondHalf().p50Millis()).isEqualTo(200.0);
        // the hop split: client 0 only, and only where the stage event's production time is known
        assertThat(l.toKafka().count()).isEqualTo(1);
        assertThat(l.toKafka().p50Millis()).isEqualTo(100.0);
        assertThat(l.toSocket().p50Millis()).isEqualTo(50.0);
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
            growing.add(new LagTimeline.Sample(i, i * 100L, 0, 0, 0, 0, 0, 0));
            steady.add(new LagTimeline.Sample(i, 50 + (i % 3) * 10L, 0, 0, 0, 0, 0, 0));
        }
        assertThat(growing.keptUp(LagTimeline.Sample::outboxLag, 20)).isFalse();
        assertThat(steady.keptUp(LagTimeline.Sample::outboxLag, 20)).isTrue();
        assertThat(growing.keptUp(LagTimeline.Sample::spineLag, 0)).as("a lag that stayed 0").isTrue();
        assertThat(growing.json()).hasSize(30);
    }

    @Test
    void samplesAreStreamedAsJsonLinesWhileTheRunGoesOn() throws Exception {
        java.io.StringWriter out = new java.io.StringWriter();
        LagTimeline t = new LagTimeline(out);
        t.add(new LagTimeline.Sample(1.5, 3, 0, 7, 2, 64L << 20, 1.2, 5L << 20));
        assertThat(out.toString()).isEqualTo("{\"t_s\":1.5,\"outbox_lag\":3,\"pump_behind\":0,\"spine_lag\":7,"
                + "\"inference_lag\":2,\"heap_mib\":64.0,\"cpu_cores\":1.2,\"disk_mib\":5.0}\n");
        t.add(new LagTimeline.Sample(3, 0, 0, 0, 0, 0, 0, 0));
        assertThat(out.toString().lines()).hasSize(2);
        assertThat(t.json()).hasSize(2);
    }
}
