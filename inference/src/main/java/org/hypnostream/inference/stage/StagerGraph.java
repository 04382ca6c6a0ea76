package org.hypnostream.inference.stage;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.List;

/**
 * The stager's ONNX graph: per-epoch probabilities, with the causal night context when the card has one. A row is
 * the model's per-epoch input: the 105 features, followed by the 15 relative Welch powers when the graph has a
 * welch input (split into the two graph inputs here).
 */
final class StagerGraph {
    private final String modelId;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final String inputName;
    private final String outputName;
    private final NightContext nightContext;
    private final WelchInput welch;
    private final int featureWidth;

    StagerGraph(String modelId, OrtEnvironment env, OrtSession session, String inputName, String outputName,
            NightContext nightContext, WelchInput welch, int featureWidth) {
        this.welch = welch;
        this.featureWidth = featureWidth;
        this.modelId = modelId;
        this.env = env;
        this.session = session;
        this.inputName = inputName;
        this.outputName = outputName;
        this.nightContext = nightContext;
    }

    /**
     * Per-epoch graph probabilities (null where a row is null). Checks index order first (nothing is mutated when
     * it fails); with a night context, a first call reads the standardised rows, the contexts are taken from (and
     * folded into) each bed's running mean in epoch order, then a second call scores.
     */
    float[][] probabilities(List<StagerBedState> states, long[] index, float[][] rows) {
        EpochGate.checkOrder(states, index, s -> s.last);
        if (nightContext == null) {
            return run(rows, null, outputName);
        }
        float[][] zero = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            zero[i] = rows[i] == null ? null : new float[nightContext.contextWidth()];
        }
        float[][] z = run(rows, zero, nightContext.fromOutput());
        float[][] ctx = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] != null) {
                StagerBedState s = states.get(i);
                if (s.context == null) {
                    s.context = nightContext.newRunning();
                }
                ctx[i] = s.context.snapshot();
                s.context.add(z[i]);
            }
        }
        return run(rows, ctx, outputName);
    }

    /** One ONNX call over the non-null rows (with their contexts when given); null where a row is null. */
    private float[][] run(float[][] rows, float[][] contexts, String output) {
        int n = 0;
        for (float[] r : rows) {
            n += r == null ? 0 : 1;
        }
        float[][] out = new float[rows.length][];
        if (n == 0) {
            return out;
        }
        float[][] batch = new float[n][];
        float[][] ctx = contexts == null ? null : new float[n][];
        float[][] wel = welch == null ? null : new float[n][];
        int k = 0;
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] != null) {
                if (ctx != null) {
                    ctx[k] = contexts[i];
                }
                if (wel != null) {
                    wel[k] = java.util.Arrays.copyOfRange(rows[i], featureWidth, rows[i].length);
                    batch[k++] = java.util.Arrays.copyOf(rows[i], featureWidth);
                } else {
                    batch[k++] = rows[i];
                }
            }
        }
        int width = output.equals(outputName) ? HmmFilter.K : nightContext.width();
        try (OnnxTensor t = OnnxTensor.createTensor(env, batch);
                OnnxTensor c = ctx == null ? null : OnnxTensor.createTensor(env, ctx);
                OnnxTensor w = wel == null ? null : OnnxTensor.createTensor(env, wel);
                OrtSession.Result res = session.run(inputs(t, c, w), java.util.Set.of(output))) {
            OnnxValue v = res.get(output).orElseThrow(() -> new IllegalStateException(
                    "model " + modelId + " returned no " + output));
            float[][] p = (float[][]) v.getValue();
            k = 0;
            for (int i = 0; i < rows.length; i++) {
                if (rows[i] != null) {
                    out[i] = p[k++];
                    if (out[i].length != width) {
                        throw new IllegalStateException("model " + modelId + " returned " + out[i].length
                                + " values of " + output + ", expected " + width);
                    }
                }
            }
            return out;
        } catch (OrtException e) {
            throw new IllegalStateException("model " + modelId + " failed on a batch of " + n + ": "
                    + e.getMessage(), e);
        }
    }

    private java.util.Map<String, OnnxTensor> inputs(OnnxTensor features, OnnxTensor context, OnnxTensor welchPowers) {
        java.util.Map<String, OnnxTensor> in = new java.util.HashMap<>();
        in.put(inputName, features);
        if (context != null) {
            in.put(nightContext.input(), context);
        }
        if (welchPowers != null) {
            in.put(welch.input(), welchPowers);
        }
        return in;
    }
}
