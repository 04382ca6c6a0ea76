package org.hypnostream.inference.stage;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
 * The causal feature stager: {@link SleepEdfFeatures} of the current epoch (and, when the card has a welch input,
 * its {@link RelativeWelch} powers from the bed's causally filtered signal) -> ONNX per-epoch probabilities -> HMM
 * forward filter over the bed's prior epochs. An epoch whose own data is unusable (flags GAP, NAN, FLAT, CLIPPED,
 * MISSING_CHANNEL, PARTIAL, or the same found in its samples) gets no features: it is predicted from prior epochs
 * only ({@code fromPriorOnly}, with the reason), or UNSCORED with the reason when the bed has no prior epoch.
 * Skipped epoch indices are bridged with prediction steps. Never looks at a later epoch.
 */
public final class CausalStager implements StageScorer, FeatureRowScorer {
    private static final Logger LOG = LoggerFactory.getLogger(CausalStager.class);
    /** Longest run of skipped epochs bridged with prediction steps (the chain has long mixed by then). */
    private static final long MAX_BRIDGE = 2880;

    private final ModelCard card;
    private final String provider;
    private final HmmFilter hmm;
    private final StagerGraph graph;
    private final NightContext nightContext;
    private final WelchInput welchInput;
    private final SleepEdfFeatures recipe = new SleepEdfFeatures();
    private final RelativeWelch welch = new RelativeWelch();

    /**
     * @throws IllegalArgumentException when the card is not a sleep-staging card of recipe sleep-edf-sc-35x3 with an
     *         hmm-forward context, or the graph's input/output names disagree with the card
     */
    public CausalStager(ModelCard card, OrtEnvironment env, OrtSession session, String provider) {
        this.card = Objects.requireNonNull(card, "card");
        Objects.requireNonNull(env, "env");
        Objects.requireNonNull(session, "session");
        this.provider = Objects.requireNonNull(provider, "provider");
        if (!ModelCard.TASK_STAGING.equals(card.task())) {
            throw new IllegalArgumentException("model " + card.id() + ": task " + card.task() + ", expected "
                    + ModelCard.TASK_STAGING);
        }
        if (!SleepEdfFeatures.ID.equals(card.featureRecipe())) {
            throw new IllegalArgumentException("model " + card.id() + ": feature recipe " + card.featureRecipe()
                    + ", this stager computes " + SleepEdfFeatures.ID);
        }
        List<String> classes = Stage.SCORED.stream().map(Stage::name).toList();
        if (!classes.equals(card.outputClasses())) {
            throw new IllegalArgumentException("model " + card.id() + ": output classes " + card.outputClasses()
                    + ", expected " + classes);
        }
        this.hmm = HmmFilter.fromCard(card.causalContext(), card.id());
        NightContext nightContext;
        WelchInput welchInput;
        try {
            nightContext = NightContext.fromCard(card.causalContext());
            welchInput = WelchInput.fromCard(card.causalContext());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model " + card.id() + ": " + e.getMessage(), e);
        }
        int inputs = 1 + (nightContext == null ? 0 : 1) + (welchInput == null ? 0 : 1);
        if (card.inputs().size() != inputs || card.outputs().isEmpty()) {
            throw new IllegalArgumentException("model " + card.id() + ": card has " + card.inputs().size()
                    + " inputs, expected " + inputs);
        }
        String inputName = card.inputs().get(0).name();
        String outputName = card.outputs().get(0).name();
        List<String> needIn = new ArrayList<>(List.of(inputName));
        if (nightContext != null) {
            needIn.add(nightContext.input());
        }
        if (welchInput != null) {
            needIn.add(welchInput.input());
        }
        List<String> needOut = nightContext == null ? List.of(outputName)
                : List.of(outputName, nightContext.fromOutput());
        if (!session.getInputNames().containsAll(needIn) || !session.getOutputNames().containsAll(needOut)) {
            throw new IllegalArgumentException("model " + card.id() + ": graph has inputs " + session.getInputNames()
                    + " and outputs " + session.getOutputNames() + ", card needs " + needIn + " -> " + needOut);
        }
        this.nightContext = nightContext;
        this.welchInput = welchInput;
        this.graph = new StagerGraph(card.id(), env, session, inputName, outputName, nightContext, welchInput,
                recipe.width());
    }

    /**
     * Width of a precomputed model row ({@link #scoreFeatureSequence}): the 105 features, then the 15 relative Welch
     * powers when the model has a welch input.
     */
    @Override
    public int rowWidth() {
        return recipe.width() + (welchInput == null ? 0 : RelativeWelch.WIDTH);
    }

    /** Whether the model takes the relative Welch powers (rows of {@link #rowWidth()} end with them). */
    @Override
    public boolean usesWelch() {
        return welchInput != null;
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
        return new StagerBedState();
    }

    /**
     * Exact: HMM posterior, night-context running means and count, last index, welch filter state
     * ({@link StagerStateCodec}).
     */
    @Override
    public byte[] saveState(BedState state) {
        return StagerStateCodec.encode((StagerBedState) state);
    }

    @Override
    public BedState loadState(byte[] bytes) {
        return StagerStateCodec.decode(bytes, nightContext, welchInput != null, card.id());
    }

    @Override
    public List<StageResult> scoreBatch(List<BedState> states, List<Epoch> epochs) {
        if (states.size() != epochs.size()) {
            throw new IllegalArgumentException(states.size() + " states for " + epochs.size() + " epochs");
        }
        List<StagerBedState> hs = new ArrayList<>(states.size());
        long[] index = new long[epochs.size()];
        for (int i = 0; i < epochs.size(); i++) {
            hs.add((StagerBedState) states.get(i));
            index[i] = epochs.get(i).index();
        }
        EpochGate.checkOrder(hs, index, s -> s.last);
        float[][] rows = new float[epochs.size()][];
        String[] reasons = new String[epochs.size()];
        for (int i = 0; i < epochs.size(); i++) {
            Epoch e = epochs.get(i);
            reasons[i] = EpochGate.gate(e, hs.get(i).welch, this::modelRow, rows, i);
            if (reasons[i] != null) {
                LOG.warn("bed {} epoch {}: no features ({})", e.bedId(), e.index(), reasons[i]);
            }
        }
        float[][] probs = graph.probabilities(hs, index, rows);
        List<StageResult> out = new ArrayList<>(epochs.size());
        for (int i = 0; i < epochs.size(); i++) {
            out.add(step(hs.get(i), index[i], probs[i], reasons[i], EpochQuality.withFound(epochs.get(i).quality(), reasons[i])));
        }
        return out;
    }

    /**
     * Scores one epoch from a precomputed feature vector (the evaluation path, bypassing feature extraction).
     *
     * @param features the model row ({@link #rowWidth()}: 105 features [+ 15 relative Welch powers]), or null when
     *        the epoch has none ({@code reason} says why)
     */
    public StageResult scoreFeatures(BedState state, long epochIndex, float[] features, String reason) {
        return scoreFeatureSequence(state, epochIndex, new float[][] {features}, reason).get(0);
    }

    /**
     * Scores consecutive epochs {@code firstIndex, firstIndex + 1, ...} of one bed from precomputed model rows
     * ({@link #rowWidth()}; null = no features, {@code missingReason}: predicted from prior epochs only, its Welch
     * powers are not used either), with one model call for all rows.
     */
    @Override
    public List<StageResult> scoreFeatureSequence(BedState state, long firstIndex, float[][] rows,
            String missingReason) {
        float[][] clean = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            clean[i] = rows[i] == null ? null : finite(rows[i]);
        }
        List<StagerBedState> hs = java.util.Collections.nCopies(rows.length, (StagerBedState) state);
        long[] index = new long[rows.length];
        for (int i = 0; i < rows.length; i++) {
            index[i] = firstIndex + i;
        }
        float[][] probs = graph.probabilities(hs, index, clean);
        List<StageResult> out = new ArrayList<>(rows.length);
        for (int i = 0; i < rows.length; i++) {
            String reason = rows[i] == null ? missingReason : (clean[i] == null ? "non-finite feature" : null);
            out.add(step((StagerBedState) state, firstIndex + i, probs[i], reason, Set.of()));
        }
        return out;
    }

    /** The 105 features (+ the 15 relative Welch powers, advancing the bed's filter); null if one is not finite. */
    private float[] modelRow(Epoch e, RelativeWelch.State filter) {
        double[][] signals = SleepEdfFeatures.signals(e);
        double[] f = recipe.compute(signals, "epoch " + e.index() + " of bed " + e.bedId());
        if (welchInput == null) {
            return toFloat(f);
        }
        double[] w = welch.compute(signals, filter, e.index());
        double[] all = java.util.Arrays.copyOf(f, f.length + w.length);
        System.arraycopy(w, 0, all, f.length, w.length);
        return toFloat(all);
    }

    private float[] finite(float[] row) {
        if (row.length != rowWidth()) {
            throw new IllegalArgumentException("feature row of width " + row.length + ", model " + card.id()
                    + " needs " + rowWidth());
        }
        for (float v : row) {
            if (!Float.isFinite(v)) {
                return null;
            }
        }
        return row;
    }

    private static float[] toFloat(double[] f) {
        float[] r = new float[f.length];
        for (int i = 0; i < f.length; i++) {
            r[i] = (float) f[i];
            if (!Float.isFinite(r[i])) {
                return null;
            }
        }
        return r;
    }


    private StageResult step(StagerBedState s, long index, float[] probs, String reason, Set<QualityFlag> quality) {
        if (index <= s.last) {
            throw new IllegalArgumentException("epoch " + index + " given after epoch " + s.last
                    + ": epochs of a bed must come in index order");
        }
        if (s.alpha != null) {
            long skipped = Math.min(index - s.last - 1, MAX_BRIDGE);
            for (long i = 0; i < skipped; i++) {
                s.alpha = hmm.predict(s.alpha);
            }
        }
        boolean hadPrior = s.alpha != null;
        double[] prior = hmm.predict(s.alpha);
        s.last = index;
        if (probs != null) {
            s.alpha = hmm.update(prior, probs);
            return StageResult.mostProbable(s.alpha, false, null, quality);
        }
        s.alpha = prior;
        return UnscoredRunPolicy.withoutData(hadPrior ? prior : null, reason, quality);
    }
}
