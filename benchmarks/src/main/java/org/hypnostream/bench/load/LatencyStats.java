package org.hypnostream.bench.load;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import org.hypnostream.common.event.JsonCodec;

/**
 * Percentiles of a set of latencies (nearest rank).
 *
 * @param count how many latencies
 * @param p50Millis median, ms; NaN when count is 0 (likewise the others)
 */
public record LatencyStats(int count, double p50Millis, double p95Millis, double p99Millis, double maxMillis) {

    /** @param micros latencies in microseconds (not modified) */
    public static LatencyStats ofMicros(long[] micros) {
        if (micros.length == 0) {
            return new LatencyStats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        long[] s = micros.clone();
        Arrays.sort(s);
        return new LatencyStats(s.length, rank(s, 0.50), rank(s, 0.95), rank(s, 0.99), s[s.length - 1] / 1000.0);
    }

    private static double rank(long[] sorted, double q) {
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1000.0;
    }

    public ObjectNode json() {
        ObjectNode n = JsonCodec.mapper().createObjectNode();
        n.put("count", count);
        n.put("p50_ms", round(p50Millis));
        n.put("p95_ms", round(p95Millis));
        n.put("p99_ms", round(p99Millis));
        n.put("max_ms", round(maxMillis));
        return n;
    }

    public static double round(double v) {
        return Double.isNaN(v) ? v : Math.round(v * 10) / 10.0;
    }
}
