package org.hypnostream.benchmarks;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hypnostream.common.wire.Epoch;
import org.hypnostream.inference.features.SleepEdfFeatures;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** SleepEdfFeatures.compute (105 features: 3 channels x 35) on real Sleep-EDF epochs cut by the spine. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FeaturesBenchmark {
    List<Epoch> epochs;
    SleepEdfFeatures features;
    int next;

    @Setup
    public void setup() {
        epochs = Fixtures.realEpochs();
        features = new SleepEdfFeatures();
    }

    @Benchmark
    public double[] compute() {
        Epoch e = epochs.get(next);
        next = (next + 1) % epochs.size();
        return features.compute(e);
    }
}
