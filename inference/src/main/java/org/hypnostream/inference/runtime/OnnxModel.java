package org.hypnostream.inference.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * Runs a single-input, single-output float model on a batch: {@code [batch, width]} (features) or
 * {@code [batch, channels, samples]} (raw signal), returning {@code [batch, outputs]}. Thread-safe (ONNX Runtime
 * sessions may be run concurrently).
 */
public final class OnnxModel {
    private final LoadedModel model;
    private final String input;
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();

    public OnnxModel(LoadedModel model) {
        if (model.card().inputs().size() != 1 || model.card().outputs().size() != 1) {
            throw new IllegalArgumentException("model " + model.id() + ": OnnxModel needs one input and one output, card has "
                    + model.card().inputs().size() + " and " + model.card().outputs().size());
        }
        this.model = model;
        this.input = model.card().inputs().get(0).name();
    }

    public LoadedModel model() {
        return model;
    }

    /** {@code batch[i]} is one feature vector; all rows must have the model's width. */
    public float[][] run(float[][] batch) {
        int width = batch.length == 0 ? 0 : batch[0].length;
        FloatBuffer buf = FloatBuffer.allocate(batch.length * width);
        for (float[] row : batch) {
            check(row.length, width, "width");
            buf.put(row);
        }
        return run(buf.flip(), new long[] {batch.length, width});
    }

    /** {@code batch[i]} is one window of {@code channels x samples}. */
    public float[][] run(float[][][] batch) {
        int channels = batch.length == 0 ? 0 : batch[0].length;
        int samples = channels == 0 ? 0 : batch[0][0].length;
        FloatBuffer buf = FloatBuffer.allocate(batch.length * channels * samples);
        for (float[][] window : batch) {
            check(window.length, channels, "channel count");
            for (float[] ch : window) {
                check(ch.length, samples, "samples per channel");
                buf.put(ch);
            }
        }
        return run(buf.flip(), new long[] {batch.length, channels, samples});
    }

    private void check(int have, int want, String what) {
        if (have != want) {
            throw new IllegalArgumentException("model " + model.id() + ": ragged batch, " + what + " " + have + " vs " + want);
        }
    }

    private float[][] run(FloatBuffer data, long[] shape) {
        if (shape[0] == 0) {
            return new float[0][];
        }
        try (OnnxTensor t = OnnxTensor.createTensor(env, data, shape);
                OrtSession.Result r = model.session().run(Map.of(input, t))) {
            OnnxTensor out = (OnnxTensor) r.get(0);
            long[] outShape = out.getInfo().getShape();
            int rows = (int) outShape[0];
            int cols = rows == 0 ? 0 : (int) (out.getInfo().getNumElements() / rows);
            FloatBuffer fb = out.getFloatBuffer();
            float[][] result = new float[rows][cols];
            for (float[] row : result) {
                fb.get(row);
            }
            return result;
        } catch (OrtException e) {
            throw new IllegalStateException("model " + model.id() + " failed on batch " + java.util.Arrays.toString(shape)
                    + ": " + e.getMessage(), e);
        }
    }
}
