package org.hypnostream.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.hypnostream.common.event.JsonCodec;
import org.junit.jupiter.api.Test;

/** The floor's fields in {@code bench pipeline}'s JSON: second halves, ratios, and no ratio without samples. */
class FloorSecondHalfTest {
    @Test
    void theFloorsSecondHalfIsTheRecordsSentInTheSecondHalf() {
        // received out of order: sequence numbers 3, 0, 2, 1 with latencies 40, 10, 30, 20 us
        FloorProbe.Counts c = new FloorProbe.Counts(4, 0, new long[] {40, 10, 30, 20}, new long[] {3, 0, 2, 1});
        assertThat(c.latenciesFrom(2)).containsExactly(40, 30);
        assertThat(c.latenciesFrom(0)).hasSize(4);
        assertThat(c.latenciesFrom(4)).isEmpty();
    }

    @Test
    void ratiosOverTheWholeRunsAndTheirSecondHalves() {
        ObjectNode out = pipeline(200, 100);
        result(LatencyStats.ofMicros(new long[] {50_000, 100_000}), LatencyStats.ofMicros(new long[] {50_000})).addTo(out);
        assertThat(out.get("floor_latency").get("count").asInt()).isEqualTo(2);
        assertThat(out.get("floor_latency_second_half").get("count").asInt()).isEqualTo(1);
        assertThat(out.get("e2e_to_floor_p99_ratio").asDouble()).isEqualTo(2.0);
        assertThat(out.get("e2e_to_floor_second_half_p99_ratio").asDouble()).isEqualTo(2.0);
        assertThat(out.get("e2e_to_floor_second_half_p50_ratio").asDouble()).isEqualTo(2.0);
        assertThat(BenchText.floor(out)).contains("2.0 x the floor at p99 (whole runs)").contains("second half of the null pipeline's run: n=1");
    }

    @Test
    void aFloorWithoutSamplesGivesNoRatioNotZero() throws Exception {
        ObjectNode out = pipeline(200, 100);
        result(LatencyStats.ofMicros(new long[0]), LatencyStats.ofMicros(new long[0])).addTo(out);
        JsonNode back = JsonCodec.mapper().readTree(out.toString());
        for (String k : new String[] {"e2e_to_floor_p50_ratio", "e2e_to_floor_p99_ratio", "e2e_to_floor_second_half_p50_ratio",
            "e2e_to_floor_second_half_p99_ratio"}) {
            assertThat(back.get(k).isNull()).as(k).isTrue();
        }
        assertThat(BenchText.floor(back)).contains("- x the floor at p50, - x the floor at p99 (whole runs)")
                .contains("(second halves: steady state)");
        assertThat(NullPipeline.Result.ratio(10, 0)).isNull();
        assertThat(NullPipeline.Result.ratio(Double.NaN, 5)).isNull();
        assertThat(NullPipeline.Result.ratio(10, 4)).isEqualTo(2.5);
    }

    private static ObjectNode pipeline(long p99Micros, long secondHalfP99Micros) {
        ObjectNode out = JsonCodec.mapper().createObjectNode();
        out.set("e2e_latency", LatencyStats.ofMicros(new long[] {p99Micros * 1000, p99Micros * 1000}).json());
        out.set("e2e_latency_second_half", LatencyStats.ofMicros(new long[] {secondHalfP99Micros * 1000}).json());
        return out;
    }

    private static NullPipeline.Result result(LatencyStats all, LatencyStats secondHalf) {
        return new NullPipeline.Result(2, all.count(), 0, 10, all, secondHalf, all.count() == 2);
    }
}
