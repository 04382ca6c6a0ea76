package org.hypnostream.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Thread CPU time per call of {@link FeatureCostBenchmark} and {@link FeaturesBenchmark}'s operations (issue 19): on a
 * machine shared with other builds, wall-clock JMH scores mostly measure the wait for a core; the CPU time this thread
 * spent per call does not count that wait. 4 s of CPU warm-up, then the best of 5 rounds of 1 s of CPU. Not JMH: a
 * cross-check of JMH's before/after ratios, run with the before and after jars back to back.
 */
public final class FeatureCpuPerOp {
    private static volatile Object sink;

    private FeatureCpuPerOp() {
    }

    public static void main(String[] args) {
        FeatureCostBenchmark cost = new FeatureCostBenchmark();
        cost.setup();
        FeaturesBenchmark features = new FeaturesBenchmark();
        features.setup();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        List<String> names = List.of("FeatureCostBenchmark.relativeWelch", "FeatureCostBenchmark.legWindow",
                "FeaturesBenchmark.compute");
        List<Supplier<Object>> ops = List.of(cost::relativeWelch, cost::legWindow, features::compute);
        for (int k = 0; k < ops.size(); k++) {
            Supplier<Object> op = ops.get(k);
            long warm = mx.getCurrentThreadCpuTime();
            while (mx.getCurrentThreadCpuTime() - warm < 4_000_000_000L) {
                sink = op.get();
            }
            double best = Double.MAX_VALUE;
            for (int round = 0; round < 5; round++) {
                long t0 = mx.getCurrentThreadCpuTime();
                int n = 0;
                while (mx.getCurrentThreadCpuTime() - t0 < 1_000_000_000L) {
                    sink = op.get();
                    n++;
                }
                best = Math.min(best, (mx.getCurrentThreadCpuTime() - t0) / 1e3 / n);
            }
            System.out.printf(Locale.ROOT, "%s %.1f us CPU per call (best of 5 x 1 s CPU)%n", names.get(k), best);
        }
    }
}
