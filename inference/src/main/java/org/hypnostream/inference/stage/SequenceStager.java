package org.hypnostream.inference.stage;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.hypnostream.common.event.Stage;
import org.hypnostream.common.wire.Epoch;
import org.hypnostream.common.wire.QualityFlag;
import org.hypnostream.inference.features.RelativeWelch;
import org.hypnostream.inference.features.SleepEdfFeatures;
import org.hypnostream.inference.runtime.ModelCard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stager v3 ({@code causal_context.type = gru-window}): a GRU over the standardised rows of the bed's current and K-1
 * previous PRESENT epochs (an epoch without usable features is left out of that sequence, so the model cannot see
 * where such epochs were), then the {@link SequenceChain}. An epoch whose own data is unusable (the flags and checks of
 * {@link EpochQuality}, or a non-finite feature) is predicted from the last present epoch ({@code fromPriorOnly}, with
 * the reason), or UNSCORED with the reason when the bed has none; it never advances the bed's window or alpha. Epoch
 * indices skipped between calls change nothing either. {@link #reviseFeatureSequence} is the morning re-score.
 */
public final class SequenceStager implements StageScorer, FeatureRowScorer {
    public static final String TYPE = "gru-window";
    private static final Logger LOG = LoggerFactory.getLogger(SequenceStager.class);
    private static final int FEATURES = 105;

    private final ModelCard card;
    private final String provider;
    private final OrtEnvironment env;
    private final SequenceGraph graph;
    private final SequenceChain chain;
    private final MorningRescore rescore;
    private final OrtSession revised;
    private final String revisedInput;
    private final String revisedOutput;
    private final SleepEdfFeatures recipe = new SleepEdfFeatures();
    private final RelativeWelch welch = new RelativeWelch();

    /**
     * @param revised the anti-causal graph of {@code causal_context.revised} (the morning re-score), or null when only
     *        live scoring is needed
     * @throws IllegalArgumentException when the card is not a gru-window sleep-staging card of recipe
     *         sleep-edf-sc-35x3 with a welch input, or the graph disagrees with the card
     */
    public SequenceStager(ModelCard card, OrtEnvironment env, OrtSession session, String provider, OrtSession revised) {
        this.card = Objects.requireNonNull(card, "card");
        this.env = Objects.requireNonNull(env, "env");
        Objects.requireNonNull(session, "session");
        this.provider = Objects.requireNonNull(provider, "provider");
        this.revised = revised;
        String id = card.id();
        JsonNode ctx = card.causalContext();
        if (!ModelCard.TASK_STAGING.equals(card.task()) || !SleepEdfFeatures.ID.equals(card.featureRecipe())
                || ctx == null || !TYPE.equals(ctx.path("type").asText())) {
            throw new IllegalArgumentException("model " + id + ": not a " + ModelCard.TASK_STAGING + " card of recipe "
                    + SleepEdfFeatures.ID + " with causal_context.type " + TYPE);
        }
        if (!Stage.SCORED.stream().map(Stage::name).toList().equals(card.outputClasses())) {
            throw new IllegalArgumentException("model " + id + ": output classes " + card.outputClasses());
        }
        WelchInput w = WelchInput.fromCard(ctx);
        int window = ctx.path("window").asInt(-1);
        int width = ctx.path("width").asInt(-1);
        if (w == null || window < 1 || width < 1 || card.inputs().size() != 3 || card.outputs().size() != 3) {
            throw new IllegalArgumentException("model " + id + ": needs causal_context.welch, window and width and a "
                    + "graph of 3 inputs (features, welch, past) and 3 outputs (probabilities, standardised, "
                    + "welch_probabilities)");
        }
        String[] in = card.inputs().stream().map(ModelCard.TensorSpec::name).toArray(String[]::new);
        String[] out = card.outputs().stream().map(ModelCard.TensorSpec::name).toArray(String[]::new);
        if (!in[1].equals(w.input()) || !session.getInputNames().containsAll(Arrays.asList(in))
                || !session.getOutputNames().containsAll(Arrays.asList(out))) {
            throw new IllegalArgumentException("model " + id + ": graph has inputs " + session.getInputNames()
                    + " and outputs " + session.getOutputNames() + ", card needs " + Arrays.toString(in) + " -> "
                    + Arrays.toString(out));
        }
        this.chain = SequenceChain.fromCard(ctx, id);
        this.rescore = new MorningRescore(chain);
        this.graph = new SequenceGraph(id, env, session, in, out, window - 1, width);
        this.revisedInput = ctx.path("revised").path("input").asText("window");
        this.revisedOutput = ctx.path("revised").path("output").asText("probabilities");
    }

    @Override
    public int rowWidth() {
        return FEATURES + RelativeWelch.WIDTH;
    }

    @Override
    public boolean usesWelch() {
        return true;
    }

    @Override
    public String modelId() {
        return card.id();
    }

    @Override
    public String modelSha256() {
        return card.sha256();
    }

    @Override
    public String provider() {
        return provider;
    }

    @Override
    public BedState newState() {
        return new SequenceBedState(graph.pastRows, graph.width);
    }

    /** Exact: alpha, past rows, last index, welch filter state ({@link SequenceStateCodec}, version 3). */
    @Override
    public byte[] saveState(BedState state) {
        return SequenceStateCodec.encode((SequenceBedState) state);
    }

    @Override
    public BedState loadState(byte[] bytes) {
        return SequenceStateCodec.decode(bytes, graph.pastRows, graph.width, card.id());
    }

    @Override
    public List<StageResult> scoreBatch(List<BedState> states, List<Epoch> epochs) {
        if (states.size() != epochs.size()) {
            throw new IllegalArgumentException(states.size() + " states for " + epochs.size() + " epochs");
        }
        List<SequenceBedState> hs = new ArrayList<>(states.size());
        long[] index = new long[epochs.size()];
        for (int i = 0; i < epochs.size(); i++) {
            hs.add((SequenceBedState) states.get(i));
            index[i] = epochs.get(i).index();
        }
        EpochGate.checkOrder(hs, index, s -> s.last);
        float[][] rows = new float[epochs.size()][];
        String[] reasons = new String[epochs.size()];
        List<Set<QualityFlag>> quality = new ArrayList<>();
        for (int i = 0; i < epochs.size(); i++) {
            Epoch e = epochs.get(i);
            reasons[i] = EpochGate.gate(e, hs.get(i).welch, this::modelRow, rows, i);
            if (reasons[i] != null) {
                LOG.warn("bed {} epoch {}: no features ({})", e.bedId(), e.index(), reasons[i]);
            }
            quality.add(EpochQuality.withFound(e.quality(), reasons[i]));
        }
        return score(hs, index, rows, reasons, quality);
    }

    /**
     * Scores consecutive epochs {@code firstIndex, firstIndex + 1, ...} of one bed from precomputed rows ({@link
     * #rowWidth()}: 105 features then 15 relative Welch powers). A row with every value finite is a present epoch;
     * a row whose features are not all finite but whose Welch powers are is an absent epoch predicted from the last
     * present epoch and its own Welch powers; null is an absent epoch predicted from the last present epoch only.
     */
    @Override
    public List<StageResult> scoreFeatureSequence(BedState state, long firstIndex, float[][] rows,
            String missingReason) {
        long[] index = new long[rows.length];
        String[] reasons = new String[rows.length];
        List<SequenceBedState> hs = java.util.Collections.nCopies(rows.length, (SequenceBedState) state);
        float[][] checked = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            index[i] = firstIndex + i;
            checked[i] = check(rows[i]);
            if (!present(checked[i])) {
                reasons[i] = checked[i] == null ? missingReason : missingReason + "; with its Welch powers";
            }
        }
        EpochGate.checkOrder(hs, index, s -> s.last);
        return score(hs, index, checked, reasons, java.util.Collections.nCopies(rows.length, Set.of()));
    }

    /**
     * The morning re-score of a finished stretch (rows as in {@link #scoreFeatureSequence}, scored as one session from
     * a fresh state): the revised posterior of every epoch ({@link MorningRescore}); an absent epoch keeps its live
     * prediction ({@code fromPriorOnly}). Never used for live stages.
     *
     * @throws IllegalStateException when this stager was built without the revised graph
     */
    @Override
    public List<StageResult> reviseFeatureSequence(float[][] rows, String missingReason) {
        if (revised == null) {
            throw new IllegalStateException("model " + card.id() + ": built without its revised graph");
        }
        int n = rows.length;
        float[][] checked = new float[n][];
        for (int i = 0; i < n; i++) {
            checked[i] = check(rows[i]);
        }
        SequenceBedState s = (SequenceBedState) newState();
        List<SequenceBedState> hs = java.util.Collections.nCopies(n, s);
        SequenceGraph.Outputs o = outputs(hs, checked);
        List<float[]> z = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (present(checked[i])) {
                z.add(o.standardised()[i]);
            }
        }
        float[][] back = new float[n][];
        if (!z.isEmpty()) {
            int half = graph.pastRows; // K-1 present epochs on each side of the centre
            float[][][] window = new float[z.size()][2 * half + 1][];
            for (int m = 0; m < z.size(); m++) {
                for (int j = 0; j <= 2 * half; j++) {
                    int src = m - half + j; // time order, the epoch at the centre, zero rows beyond the stretch
                    window[m][j] = src >= 0 && src < z.size() ? z.get(src) : new float[graph.width];
                }
            }
            float[][] pb = SequenceGraph.runRevised(card.id(), env, revised, revisedInput, revisedOutput, window);
            int m = 0;
            for (int i = 0; i < n; i++) {
                if (present(checked[i])) {
                    back[i] = pb[m++];
                }
            }
        }
        float[][] p = new float[n][];
        float[][] pw = new float[n][];
        for (int i = 0; i < n; i++) {
            if (present(checked[i])) {
                p[i] = o.probabilities()[i];
            } else if (checked[i] != null) {
                pw[i] = o.welchProbabilities()[i];
            }
        }
        double[][] post = rescore.revise(p, back, pw);
        List<StageResult> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            boolean absent = p[i] == null;
            if (post[i] == null) {
                out.add(new StageResult(Stage.UNSCORED, List.of(), false, missingReason
                        + "; no prior epoch to predict from", Set.of()));
            } else {
                out.add(StageResult.mostProbable(post[i], absent, absent ? missingReason : null, Set.of()));
            }
        }
        return out;
    }

    /** Whether this stager was built with its revised graph (the morning re-score). */
    public boolean hasRevised() {
        return revised != null;
    }

    /**
     * The morning re-score of one bed's night from its epochs (index order, one recording session): the model rows
     * are computed exactly as the live path computes them from a fresh bed state (same quality checks, same causal
     * Welch filter, reset at an unusable epoch), then {@link #reviseFeatureSequence}. An epoch the live path cannot
     * use keeps the live treatment with the live reason: predicted from the last present epoch ({@code
     * fromPriorOnly}), or UNSCORED when there is none. NON-causal: never used for live stages.
     */
    public List<StageResult> reviseNight(List<Epoch> epochs) {
        SequenceBedState s = (SequenceBedState) newState();
        float[][] rows = new float[epochs.size()][];
        String[] reasons = new String[epochs.size()];
        for (int i = 0; i < epochs.size(); i++) {
            Epoch e = epochs.get(i);
            if (i > 0 && e.index() <= epochs.get(i - 1).index()) {
                throw new IllegalArgumentException("epoch " + e.index() + " given after epoch "
                        + epochs.get(i - 1).index() + ": epochs of a bed must come in index order");
            }
            reasons[i] = EpochGate.gate(e, s.welch, this::modelRow, rows, i);
        }
        List<StageResult> revisedResults = reviseFeatureSequence(rows, "epoch unusable");
        List<StageResult> out = new ArrayList<>(revisedResults.size());
        for (int i = 0; i < revisedResults.size(); i++) {
            StageResult r = revisedResults.get(i);
            if (reasons[i] != null) {
                String reason = r.stage() == Stage.UNSCORED ? reasons[i] + "; no prior epoch to predict from"
                        : reasons[i];
                r = new StageResult(r.stage(), r.probabilities(), r.fromPriorOnly(), reason, r.quality());
            }
            out.add(r);
        }
        return out;
    }

    /** The graph outputs of every row; the past of a present row is its bed's window as of that row. */
    private SequenceGraph.Outputs outputs(List<SequenceBedState> hs, float[][] rows) {
        int n = rows.length;
        float[][] features = new float[n][];
        float[][] welchRows = new float[n][];
        for (int i = 0; i < n; i++) {
            features[i] = new float[FEATURES];
            welchRows[i] = new float[RelativeWelch.WIDTH];
            if (rows[i] != null) {
                System.arraycopy(rows[i], FEATURES, welchRows[i], 0, RelativeWelch.WIDTH);
                if (present(rows[i])) {
                    System.arraycopy(rows[i], 0, features[i], 0, FEATURES);
                }
            }
        }
        float[][][] past = new float[n][][];
        Map<SequenceBedState, Boolean> seen = new IdentityHashMap<>();
        boolean repeated = false;
        for (int i = 0; i < n; i++) {
            repeated |= seen.put(hs.get(i), Boolean.TRUE) != null;
            past[i] = present(rows[i]) ? hs.get(i).pastCopy() : new float[graph.pastRows][graph.width];
        }
        if (n == 0) {
            return new SequenceGraph.Outputs(new float[0][], new float[0][], new float[0][]);
        }
        if (!repeated) {
            return graph.run(features, welchRows, past);
        }
        // a bed's later rows need its earlier rows' standardised values: read them first (independent of past)
        float[][] z = graph.run(features, welchRows, past).standardised();
        Map<SequenceBedState, float[][]> work = new IdentityHashMap<>();
        for (int i = 0; i < n; i++) {
            if (present(rows[i])) {
                float[][] w = work.computeIfAbsent(hs.get(i), SequenceBedState::pastCopy);
                past[i] = copy(w);
                if (w.length > 0) {
                    System.arraycopy(w, 1, w, 0, w.length - 1);
                    w[w.length - 1] = z[i];
                }
            }
        }
        return graph.run(features, welchRows, past);
    }

    private List<StageResult> score(List<SequenceBedState> hs, long[] index, float[][] rows, String[] reasons,
            List<Set<QualityFlag>> quality) {
        SequenceGraph.Outputs o = outputs(hs, rows);
        List<StageResult> out = new ArrayList<>(rows.length);
        for (int i = 0; i < rows.length; i++) {
            SequenceBedState s = hs.get(i);
            s.last = index[i];
            if (present(rows[i])) {
                s.alpha = chain.present(s.alpha, o.probabilities()[i]);
                s.push(o.standardised()[i]);
                out.add(StageResult.mostProbable(s.alpha, false, null, quality.get(i)));
                continue;
            }
            double[] predicted = s.alpha == null ? null
                    : chain.absent(s.alpha, rows[i] == null ? null : o.welchProbabilities()[i]);
            out.add(UnscoredRunPolicy.withoutData(predicted, reasons[i], quality.get(i)));
        }
        return out;
    }

    /** The row itself when its Welch powers are finite (present iff its features are too), else null. */
    private float[] check(float[] row) {
        if (row == null) {
            return null;
        }
        if (row.length != rowWidth()) {
            throw new IllegalArgumentException("feature row of width " + row.length + ", model " + card.id()
                    + " needs " + rowWidth());
        }
        for (int j = FEATURES; j < row.length; j++) {
            if (!Float.isFinite(row[j])) {
                return null;
            }
        }
        return row;
    }

    private static boolean present(float[] row) {
        if (row == null) {
            return false;
        }
        for (int j = 0; j < FEATURES; j++) {
            if (!Float.isFinite(row[j])) {
                return false;
            }
        }
        return true;
    }

    private static float[][] copy(float[][] a) {
        float[][] c = new float[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    /** The 105 features + the 15 relative Welch powers (advancing the bed's filter); null if one is not finite. */
    private float[] modelRow(Epoch e, RelativeWelch.State filter) {
        double[][] signals = SleepEdfFeatures.signals(e);
        double[] f = recipe.compute(signals, "epoch " + e.index() + " of bed " + e.bedId());
        double[] w = welch.compute(signals, filter, e.index());
        float[] r = new float[f.length + w.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = (float) (i < f.length ? f[i] : w[i - f.length]);
            if (!Float.isFinite(r[i])) {
                return null;
            }
        }
        return r;
    }
}
