package org.hypnostream.inference.runtime;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * Load benchmark (not a test): epochs scored per second and per-call latency of a stager-sized model
 * (mlp-stager-bench: 105-256-256-5) at batch sizes 1, 16, 64, 100 (100 beds closing an epoch together) and 256.
 * Args: [device auto|cpu|cuda] [seconds per batch size] [intra-op threads, 0 = ORT default] [model folder]. See the module README for the command and results.
 */
public final class ScoringBenchmark {
    private ScoringBenchmark() {
    }

    public static void main(String[] args) {
        String device = args.length > 0 ? args[0] : "cpu";
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 3;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        Path dir = Path.of(args.length > 3 ? args[3] : "src/test/resources/models/bench");
        try (ModelRegistry r = ModelRegistry.load(dir, device, threads)) {
            OnnxModel m = new OnnxModel(r.require("mlp-stager-bench"));
            System.out.printf(Locale.ROOT, "model mlp-stager-bench, provider %s, intra-op threads %s, %d cores%n",
                    m.model().provider(), threads == 0 ? "ORT default" : threads, Runtime.getRuntime().availableProcessors());
            System.out.println("batch | epochs/s | call p50 ms | call p99 ms | per-epoch us");
            for (int batch : new int[] {1, 16, 64, 100, 256}) {
                float[][] x = new float[batch][105];
                Random rnd = new Random(batch);
                for (float[] row : x) {
                    for (int k = 0; k < row.length; k++) {
                        row[k] = (float) rnd.nextGaussian();
                    }
                }
                long warmEnd = System.nanoTime() + 1_000_000_000L;
                while (System.nanoTime() < warmEnd) {
                    m.run(x);
                }
                long[] lat = new long[1 << 20];
                int n = 0;
                long t0 = System.nanoTime();
                long end = t0 + (long) (seconds * 1e9);
                while (System.nanoTime() < end && n < lat.length) {
                    long s = System.nanoTime();
                    m.run(x);
                    lat[n++] = System.nanoTime() - s;
                }
                double total = (System.nanoTime() - t0) / 1e9;
                long[] sorted = Arrays.copyOf(lat, n);
                Arrays.sort(sorted);
                System.out.printf(Locale.ROOT, "%5d | %8.0f | %11.3f | %11.3f | %12.2f%n", batch, n * (double) batch / total,
                        sorted[n / 2] / 1e6, sorted[(int) Math.min(n - 1, Math.ceil(n * 0.99) - 1)] / 1e6,
                        total * 1e6 / (n * (double) batch));
            }
        }
    }
}
