package org.hypnostream.inference.stage;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.Map;
import java.util.Set;

/**
 * The sequence stager's ONNX graphs. Causal graph: {@code features} (b,105), {@code welch} (b,15), {@code past}
 * (b,K-1,W) -> {@code probabilities} (b,5, calibrated), {@code standardised} (b,W: this epoch's row, independent of
 * {@code past}), {@code welch_probabilities} (b,5: from the Welch powers alone). Re-score (bidirectional) graph, used only
 * by the morning re-score: {@code window} (b,2K-1,W: the standardised rows of the epoch's K-1 previous, own and K-1
 * next present epochs, time order, zero rows beyond the stretch) -> {@code probabilities} (b,5) at the centre.
 */
final class SequenceGraph {
    /** One call's outputs, row for row. */
    record Outputs(float[][] probabilities, float[][] standardised, float[][] welchProbabilities) {
    }

    private final String modelId;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final String[] in;
    private final String[] out;
    final int pastRows;
    final int width;

    SequenceGraph(String modelId, OrtEnvironment env, OrtSession session, String[] inputs, String[] outputs,
            int pastRows, int width) {
        this.modelId = modelId;
        this.env = env;
        this.session = session;
        this.in = inputs.clone();
        this.out = outputs.clone();
        this.pastRows = pastRows;
        this.width = width;
    }

    /** One call over {@code features.length} rows (at least one). */
    Outputs run(float[][] features, float[][] welch, float[][][] past) {
        try (OnnxTensor f = OnnxTensor.createTensor(env, features);
                OnnxTensor w = OnnxTensor.createTensor(env, welch);
                OnnxTensor p = OnnxTensor.createTensor(env, past);
                OrtSession.Result res = session.run(Map.of(in[0], f, in[1], w, in[2], p), Set.of(out))) {
            float[][] prob = take(res, out[0], features.length, SequenceChain.K);
            float[][] z = take(res, out[1], features.length, width);
            float[][] pw = take(res, out[2], features.length, SequenceChain.K);
            return new Outputs(prob, z, pw);
        } catch (OrtException e) {
            throw new IllegalStateException("model " + modelId + " failed on a batch of " + features.length + ": "
                    + e.getMessage(), e);
        }
    }

    /** The re-score graph over centred windows (b, 2K-1, W); its probabilities (b, 5). */
    static float[][] runRevised(String modelId, OrtEnvironment env, OrtSession session, String input, String output,
            float[][][] window) {
        try (OnnxTensor t = OnnxTensor.createTensor(env, window);
                OrtSession.Result res = session.run(Map.of(input, t), Set.of(output))) {
            return take(modelId, res, output, window.length, SequenceChain.K);
        } catch (OrtException e) {
            throw new IllegalStateException("re-score graph of model " + modelId + " failed on " + window.length
                    + " windows: " + e.getMessage(), e);
        }
    }

    private float[][] take(OrtSession.Result res, String name, int rows, int cols) throws OrtException {
        return take(modelId, res, name, rows, cols);
    }

    private static float[][] take(String modelId, OrtSession.Result res, String name, int rows, int cols)
            throws OrtException {
        float[][] v = (float[][]) res.get(name).orElseThrow(() -> new IllegalStateException(
                "model " + modelId + " returned no " + name)).getValue();
        if (v.length != rows || v[0].length != cols) {
            throw new IllegalStateException("model " + modelId + " returned " + v.length + " x " + v[0].length
                    + " values of " + name + ", expected " + rows + " x " + cols);
        }
        return v;
    }
}
