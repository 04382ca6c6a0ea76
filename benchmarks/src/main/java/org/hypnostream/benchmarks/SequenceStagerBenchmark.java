package org.hypnostream.benchmarks;

import ai.onnxruntime.OrtEnvironment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hypnostream.common.wire.Epoch;
import org.hypnostream.inference.runtime.LoadedModel;
import org.hypnostream.inference.runtime.ModelRegistry;
import org.hypnostream.inference.stage.SequenceStager;
import org.hypnostream.inference.stage.StageScorer.BedState;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Stager v3 (models/stager-features-welch-gru-v3, loaded and checked by ModelRegistry) on CPU: {@code scoreBatch} =
 * SequenceStager.scoreBatch (feature extraction + causal Welch + one ONNX call of the GRU over each bed's K-row
 * window + chain step) for a batch of B beds on real epochs, fresh bed states per call (the GRU always runs its K
 * steps, so this is also the steady-state cost). Compare with {@code StagerBenchmark.scoreBatch} (v2) in the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SequenceStagerBenchmark {
    static final String MODEL = "stager-features-welch-gru-v3";

    @Param({"1", "16", "64", "256"})
    int batch;

    ModelRegistry registry;
    SequenceStager stager;
    List<Epoch> epochs;
    List<BedState> states;

    @Setup(Level.Trial)
    public void setup() {
        OrtEnvironment env = OrtStartup.environment();
        registry = ModelRegistry.load(Fixtures.modelsDir(), "cpu");
        LoadedModel m = registry.require(MODEL);
        stager = new SequenceStager(m.card(), env, m.session(), m.provider(), null);
        List<Epoch> real = Fixtures.realEpochs();
        epochs = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
            epochs.add(real.get(b % real.size()));
        }
    }

    /** Each bed's state accepts an epoch index once, so every call gets fresh bed states. */
    @Setup(Level.Invocation)
    public void freshStates() {
        states = new ArrayList<>(batch);
        for (int b = 0; b < batch; b++) {
            states.add(stager.newState());
        }
    }

    @Benchmark
    public Object scoreBatch() {
        return stager.scoreBatch(states, epochs);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        registry.close();
    }
}
