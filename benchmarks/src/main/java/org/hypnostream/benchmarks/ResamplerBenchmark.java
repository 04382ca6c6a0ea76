package org.hypnostream.benchmarks;

import java.util.concurrent.TimeUnit;
import org.hypnostream.stream.signal.Resampler;
import org.hypnostream.stream.signal.Timeline;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The spine's resampler alone: one EEG channel, 30 s at 256 Hz resampled to 100 Hz (one epoch of one channel).
 * Time per operation = time per input sample.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ResamplerBenchmark {
    static final int SAMPLES = 256 * 30;
    float[] input;

    @Setup
    public void setup() {
        input = new float[SAMPLES];
        java.util.Random rnd = new java.util.Random(1);
        for (int i = 0; i < SAMPLES; i++) {
            input[i] = (float) (40 * Math.sin(2 * Math.PI * 10 * i / 256.0) + 5 * rnd.nextGaussian());
        }
    }

    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public void push256to100(Blackhole bh) {
        Resampler r = new Resampler(256, 100, 0);
        Timeline t = new Timeline(0);
        for (float x : input) {
            r.push(x, t);
        }
        bh.consume(t.end());
    }
}
