package org.hypnostream.benchmarks;

import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.hypnostream.common.wire.Epoch;
import org.hypnostream.common.wire.LegWindow;
import org.hypnostream.inference.features.RelativeWelch;
import org.hypnostream.inference.features.SleepEdfFeatures;
import org.hypnostream.inference.leg.LegDetection;
import org.hypnostream.inference.leg.LegMovementDetector;
import org.hypnostream.inference.leg.LegRules;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The live lanes' other feature costs (issue 19): {@link RelativeWelch#compute} of one real Sleep-EDF epoch (3
 * signals: causal band-pass + Welch PSD + band powers, filter restarted each call) and the leg detector on one full
 * 4801-sample window of two legs of 2 µV noise (channel status incl. the quantisation-step test + the rules), fresh
 * per-bed state each call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FeatureCostBenchmark {
    List<double[][]> signals;
    RelativeWelch welch;
    LegMovementDetector legs;
    LegWindow window;
    int next;

    @Setup
    public void setup() {
        List<Epoch> epochs = Fixtures.realEpochs();
        signals = epochs.stream().map(SleepEdfFeatures::signals).toList();
        welch = new RelativeWelch();
        legs = new LegMovementDetector(LegRules.wasm2016());
        window = new LegWindow("bed-bench", 0, 0, 200.0, 2400, noise(LegWindow.SAMPLES, 1),
                noise(LegWindow.SAMPLES, 2), Set.of(), Set.of(), 0);
    }

    private static float[] noise(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (2.0 * r.nextGaussian());
        }
        return x;
    }

    @Benchmark
    public double[] relativeWelch() {
        double[][] s = signals.get(next);
        next = (next + 1) % signals.size();
        return welch.compute(s, new RelativeWelch.State(), 0);
    }

    @Benchmark
    public LegDetection legWindow() {
        return legs.detect(legs.newState(), window, Instant.EPOCH);
    }
}
