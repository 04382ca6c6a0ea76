package org.hypnostream.inference.service;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.hypnostream.common.event.Stage;
import org.hypnostream.common.wire.Epoch;
import org.hypnostream.common.wire.QualityFlag;
import org.hypnostream.inference.runtime.LoadedModel;
import org.hypnostream.inference.runtime.OnnxModel;
import org.hypnostream.inference.stage.StageResult;
import org.hypnostream.inference.stage.StageScorer;

/**
 * Test-only causal stager: 105 simple features (log mean |x| of 35 segments of each of 3 channels), the
 * linear-stager-test ONNX model, and exponential smoothing with the bed's previous probabilities as causal state.
 * An epoch with a flat or NaN channel is UNSCORED with the reason (state unchanged but for the index).
 */
final class TestStager implements StageScorer {
    static final double ALPHA = 0.7;
    static final Path GOOD_MODELS = Path.of("src/test/resources/models/good");

    static final class State implements BedState {
        long last = -1;
        double[] prior;

        @Override
        public long lastEpochIndex() {
            return last;
        }
    }

    private final OnnxModel model;

    TestStager(LoadedModel model) {
        this.model = new OnnxModel(model);
    }

    @Override
    public String modelId() {
        return model.model().id();
    }

    @Override
    public String modelSha256() {
        return model.model().sha256();
    }

    @Override
    public String provider() {
        return model.model().provider();
    }

    @Override
    public BedState newState() {
        return new State();
    }

    /** Exact: last index, then the 5 smoothed probabilities (or none). */
    @Override
    public byte[] saveState(BedState state) {
        State s = (State) state;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(9 + (s.prior == null ? 0 : 40));
        b.putLong(s.last).put((byte) (s.prior == null ? 0 : 1));
        if (s.prior != null) {
            for (double v : s.prior) {
                b.putDouble(v);
            }
        }
        return b.array();
    }

    @Override
    public BedState loadState(byte[] bytes) {
        if (bytes.length != 9 && bytes.length != 49) {
            throw new IllegalArgumentException("test stager state of " + bytes.length + " bytes, expected 9 or 49");
        }
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes);
        State s = new State();
        s.last = b.getLong();
        if (b.get() != 0) {
            s.prior = new double[5];
            for (int k = 0; k < 5; k++) {
                s.prior[k] = b.getDouble();
            }
        }
        return s;
    }

    static String problem(Epoch e) {
        for (int c = 0; c < e.samples().length; c++) {
            float[] x = e.samples()[c];
            double min = Double.MAX_VALUE;
            double max = -Double.MAX_VALUE;
            for (float v : x) {
                if (!Float.isFinite(v)) {
                    return "NAN on " + e.channelLabels().get(c);
                }
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            if (max - min < 1e-3) {
                return "FLAT on " + e.channelLabels().get(c);
            }
        }
        return e.samples().length != 3 ? "MISSING_CHANNEL: " + e.channelLabels() : null;
    }

    static float[] features(Epoch e) {
        float[] f = new float[105];
        for (int c = 0; c < 3; c++) {
            float[] x = e.samples()[c];
            int seg = x.length / 35;
            for (int s = 0; s < 35; s++) {
                double sum = 0;
                for (int i = s * seg; i < (s + 1) * seg; i++) {
                    sum += Math.abs(x[i]);
                }
                f[c * 35 + s] = (float) (Math.log1p(sum / seg) - 2.0);
            }
        }
        return f;
    }

    @Override
    public List<StageResult> scoreBatch(List<BedState> states, List<Epoch> epochs) {
        List<float[]> rows = new ArrayList<>();
        List<Integer> rowOf = new ArrayList<>();
        for (Epoch e : epochs) {
            if (problem(e) == null) {
                rowOf.add(rows.size());
                rows.add(features(e));
            } else {
                rowOf.add(-1);
            }
        }
        float[][] out = model.run(rows.toArray(new float[0][]));
        List<StageResult> results = new ArrayList<>();
        for (int i = 0; i < epochs.size(); i++) {
            State s = (State) states.get(i);
            Epoch e = epochs.get(i);
            s.last = e.index();
            String why = problem(e);
            if (why != null) {
                Set<QualityFlag> q = EnumSet.noneOf(QualityFlag.class);
                q.addAll(e.quality());
                q.add(why.startsWith("FLAT") ? QualityFlag.FLAT : why.startsWith("NAN") ? QualityFlag.NAN
                        : QualityFlag.MISSING_CHANNEL);
                results.add(new StageResult(Stage.UNSCORED, List.of(), false, why, q));
                continue;
            }
            float[] p = out[rowOf.get(i)];
            double[] mixed = new double[5];
            for (int k = 0; k < 5; k++) {
                mixed[k] = s.prior == null ? p[k] : ALPHA * p[k] + (1 - ALPHA) * s.prior[k];
            }
            s.prior = mixed;
            int best = 0;
            List<Double> probs = new ArrayList<>();
            for (int k = 0; k < 5; k++) {
                probs.add(mixed[k]);
                if (mixed[k] > mixed[best]) {
                    best = k;
                }
            }
            results.add(new StageResult(Stage.SCORED.get(best), probs, false, null, e.quality()));
        }
        return results;
    }
}
