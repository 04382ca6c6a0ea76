package org.hypnostream.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.hypnostream.common.wire.Epoch;
import org.hypnostream.inference.features.SleepEdfFeatures;
import org.hypnostream.inference.runtime.LoadedModel;
import org.hypnostream.inference.runtime.ModelRegistry;
import org.hypnostream.inference.stage.StageScorer.BedState;
import org.hypnostream.inference.stage.CausalStager;
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
 * The real stager model (models/stager-features-welch-hmm-v2, loaded and checked by inference's ModelRegistry) on CPU, one
 * call per batch of B beds: {@code onnx} = the ONNX Runtime call alone (features + Welch powers + night context in, probabilities
 * out); {@code scoreBatch} = CausalStager.scoreBatch (feature extraction + ONNX + causal HMM step) on real epochs.
 * Time per operation = time per batch; divide by B for per-epoch cost. scoreBatch starts from fresh bed states
 * each call (a bed's state takes each epoch index once), i.e. the first-epoch path of the HMM.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class StagerBenchmark {
    static final String MODEL = "stager-features-welch-hmm-v2";

    @Param({"1", "16", "64", "256"})
    int batch;

    ModelRegistry registry;
    OrtSession session;
    OrtEnvironment env;
    CausalStager stager;
    float[] features;
    float[] context;
    float[] welch;
    List<Epoch> epochs;
    List<BedState> states;

    @Setup(Level.Trial)
    public void setup() throws OrtException {
        env = OrtStartup.environment();
        registry = ModelRegistry.load(Fixtures.modelsDir(), "cpu");
        LoadedModel m = registry.require(MODEL);
        session = m.session();
        stager = new CausalStager(m.card(), env, session, m.provider());
        List<Epoch> real = Fixtures.realEpochs();
        double[] f = new SleepEdfFeatures().compute(real.get(real.size() / 2));
        features = new float[batch * f.length];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < f.length; i++) {
                features[b * f.length + i] = (float) f[i];
            }
        }
        context = new float[batch * inputWidth(m, "context")];
        welch = new float[batch * inputWidth(m, "welch")];
        java.util.Arrays.fill(welch, 0.2f);
        epochs = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
            epochs.add(real.get(b % real.size()));
        }
    }

    /** Each bed's causal state accepts an epoch index once, so every call gets fresh bed states. */
    @Setup(Level.Invocation)
    public void freshStates() {
        states = new ArrayList<>(batch);
        for (int b = 0; b < batch; b++) {
            states.add(stager.newState());
        }
    }

    private static int inputWidth(LoadedModel m, String name) {
        return m.card().inputs().stream().filter(i -> i.name().equals(name)).findFirst()
                .map(i -> Math.toIntExact(i.shape().get(1))).orElseThrow();
    }

    @Benchmark
    public float[][] onnx() throws OrtException {
        long[] fs = {batch, features.length / batch};
        long[] cs = {batch, context.length / batch};
        long[] ws = {batch, welch.length / batch};
        try (OnnxTensor f = OnnxTensor.createTensor(env, FloatBuffer.wrap(features), fs);
                OnnxTensor c = OnnxTensor.createTensor(env, FloatBuffer.wrap(context), cs);
                OnnxTensor w = OnnxTensor.createTensor(env, FloatBuffer.wrap(welch), ws);
                OrtSession.Result r = session.run(Map.of("features", f, "context", c, "welch", w))) {
            return (float[][]) r.get(0).getValue();
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
