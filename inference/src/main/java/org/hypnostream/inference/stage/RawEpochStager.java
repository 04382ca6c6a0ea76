package org.hypnostream.inference.stage;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.hypnostream.common.event.Stage;
import org.hypnostream.common.wire.Epoch;
import org.hypnostream.common.wire.QualityFlag;
import org.hypnostream.inference.runtime.ModelCard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The causal raw-waveform stager (training/stager_raw): the graph takes a window of K epochs
 * {@code [batch, K, channels, samples]} in µV, oldest first and the epoch to score last, and returns W/N1/N2/N3/REM
 * probabilities for the last one. Per bed it keeps the samples of the last K-1 epochs; a prior slot whose epoch was
 * never seen (start of the night, skipped indices) or was unusable is all zeros, as in training. An epoch whose own
 * data is unusable (flags GAP, NAN, FLAT, CLIPPED, MISSING_CHANNEL, PARTIAL, or the same found in its samples) is never
 * fed to the graph: it gets the bed's last probabilities ({@code fromPriorOnly}, with the reason) when the last scored
 * epoch is at most {@link #MAX_CARRY_EPOCHS} before it, else UNSCORED with the reason. Never looks at a later epoch.
 */
public final class RawEpochStager implements StageScorer {
    private static final Logger LOG = LoggerFactory.getLogger(RawEpochStager.class);
    /** The last probabilities stand in for an unusable epoch for at most this many epochs (5 min). */
    public static final long MAX_CARRY_EPOCHS = 10;

    private final ModelCard card;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final String provider;
    private final String inputName;
    private final String outputName;
    private final List<String> channels;
    private final double rateHz;
    private final int window;
    private final int samples;

    /**
     * @throws IllegalArgumentException when the card is not a raw sleep-staging card (no feature recipe, one input
     *         {@code [-1, K, channels, samples]} matching its input signals, window and prior epochs, classes
     *         W/N1/N2/N3/REM) or the graph's names disagree with the card
     */
    public RawEpochStager(ModelCard card, OrtEnvironment env, OrtSession session, String provider) {
        this.card = Objects.requireNonNull(card, "card");
        this.env = Objects.requireNonNull(env, "env");
        this.session = Objects.requireNonNull(session, "session");
        this.provider = Objects.requireNonNull(provider, "provider");
        String problem = cardProblem(card);
        if (problem != null) {
            throw new IllegalArgumentException("model " + card.id() + ": " + problem);
        }
        this.inputName = card.inputs().get(0).name();
        this.outputName = card.outputs().get(0).name();
        if (!session.getInputNames().equals(Set.of(inputName)) || !session.getOutputNames().contains(outputName)) {
            throw new IllegalArgumentException("model " + card.id() + ": graph has inputs " + session.getInputNames()
                    + " and outputs " + session.getOutputNames() + ", card needs " + inputName + " -> " + outputName);
        }
        List<Long> shape = card.inputs().get(0).shape();
        this.window = shape.get(1).intValue();
        this.samples = shape.get(3).intValue();
        this.channels = card.inputSignals().stream().map(ModelCard.SignalSpec::label).toList();
        this.rateHz = card.inputSignals().get(0).rateHz();
    }

    /** Why this card is not one this stager can run, or null (also used by the factory's {@code supports}). */
    public static String cardProblem(ModelCard card) {
        if (!ModelCard.TASK_STAGING.equals(card.task())) {
            return "task " + card.task() + ", expected " + ModelCard.TASK_STAGING;
        }
        if (card.featureRecipe() != null) {
            return "feature recipe " + card.featureRecipe() + ": the raw stager takes samples, not features";
        }
        List<String> classes = Stage.SCORED.stream().map(Stage::name).toList();
        if (card.inputs().size() != 1 || card.outputs().size() != 1) {
            return card.inputs().size() + " inputs and " + card.outputs().size() + " outputs, expected 1 and 1";
        }
        List<Long> in = card.inputs().get(0).shape();
        if (in.size() != 4 || in.get(0) != -1 || in.get(1) < 1 || in.get(2) < 1 || in.get(3) < 1) {
            return "input shape " + in + ", expected [-1, K, channels, samples]";
        }
        if (!classes.equals(card.outputClasses())) {
            return "output classes " + card.outputClasses() + ", expected " + classes;
        }
        if (!card.outputs().get(0).shape().equals(List.of(-1L, (long) classes.size()))) {
            return "output shape " + card.outputs().get(0).shape() + ", expected [-1, " + classes.size() + "]";
        }
        if (card.inputSignals().size() != in.get(2)) {
            return card.inputSignals().size() + " input signals for " + in.get(2) + " input channels";
        }
        double rate = card.inputSignals().get(0).rateHz();
        for (ModelCard.SignalSpec s : card.inputSignals()) {
            if (s.rateHz() != rate || !(rate > 0)) {
                return "input signal " + s.label() + " at " + s.rateHz() + " Hz; all signals need one rate";
            }
            if (s.unit() == null || !(s.unit().equals("uV") || s.unit().equals("µV"))) {
                return "input signal " + s.label() + " in " + s.unit() + ", expected uV";
            }
        }
        if (Math.round(card.windowSeconds() * rate) != in.get(3) || card.windowSeconds() * 1e6 != Epoch.EPOCH_MICROS) {
            return "window " + card.windowSeconds() + " s at " + rate + " Hz does not give " + in.get(3)
                    + " samples of a 30-s epoch";
        }
        if (card.priorEpochs() != in.get(1) - 1) {
            return "prior_epochs " + card.priorEpochs() + " but the input holds " + in.get(1) + " epochs";
        }
        return null;
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

    /** K: epochs in the graph's window (the current one and K-1 prior). */
    public int windowEpochs() {
        return window;
    }

    @Override
    public BedState newState() {
        return new RawBedState();
    }

    /** Exact: the prior epochs' samples, last probabilities and indices ({@link RawBedState#encode}). */
    @Override
    public byte[] saveState(BedState state) {
        return ((RawBedState) state).encode();
    }

    @Override
    public BedState loadState(byte[] bytes) {
        return RawBedState.decode(bytes, window, channels.size(), samples, card.id());
    }

    @Override
    public List<StageResult> scoreBatch(List<BedState> states, List<Epoch> epochs) {
        if (states.size() != epochs.size()) {
            throw new IllegalArgumentException(states.size() + " states for " + epochs.size() + " epochs");
        }
        // Pass 1 (no state is changed until the graph has run): order check, quality gate, windows.
        Map<RawBedState, RawBedState> pending = new IdentityHashMap<>();
        String[] reasons = new String[epochs.size()];
        List<float[][][]> windows = new ArrayList<>();
        for (int i = 0; i < epochs.size(); i++) {
            Epoch e = epochs.get(i);
            RawBedState s = pending.computeIfAbsent((RawBedState) states.get(i), RawBedState::copy);
            if (e.index() <= s.last) {
                throw new IllegalArgumentException("bed " + e.bedId() + ": epoch " + e.index() + " given after epoch "
                        + s.last + ": epochs of a bed must come in index order");
            }
            reasons[i] = EpochQuality.problem(e, channels, rateHz, samples);
            float[][] own = null;
            if (reasons[i] == null) {
                own = new float[channels.size()][];
                for (int c = 0; c < own.length; c++) {
                    own[c] = e.samples()[e.channelLabels().indexOf(channels.get(c))];
                }
                windows.add(s.window(e.index(), own, window));
            } else {
                LOG.warn("bed {} epoch {}: not fed to model {} ({})", e.bedId(), e.index(), card.id(), reasons[i]);
            }
            s.remember(e.index(), own, window - 1);
        }
        float[][] probs = run(windows);
        // Pass 2: results in order, then the new states.
        List<StageResult> out = new ArrayList<>(epochs.size());
        int k = 0;
        for (int i = 0; i < epochs.size(); i++) {
            RawBedState s = pending.get((RawBedState) states.get(i));
            Epoch e = epochs.get(i);
            Set<QualityFlag> quality = EpochQuality.withFound(e.quality(), reasons[i]);
            if (reasons[i] == null) {
                s.lastProbabilities = toDouble(probs[k++]);
                s.lastScored = e.index();
                out.add(StageResult.mostProbable(s.lastProbabilities, false, null, quality));
            } else if (s.lastProbabilities != null && e.index() - s.lastScored <= MAX_CARRY_EPOCHS) {
                out.add(StageResult.mostProbable(s.lastProbabilities, true, reasons[i] + "; stage carried from epoch " + s.lastScored,
                        quality));
            } else {
                String context = s.lastProbabilities == null ? "no prior epoch to predict from"
                        : "last scored epoch " + s.lastScored + " is more than " + MAX_CARRY_EPOCHS + " epochs back";
                out.add(new StageResult(Stage.UNSCORED, List.of(), false, reasons[i] + "; " + context, quality));
            }
        }
        for (int i = 0; i < epochs.size(); i++) {
            ((RawBedState) states.get(i)).set(pending.get((RawBedState) states.get(i)));
        }
        return out;
    }

    private float[][] run(List<float[][][]> windows) {
        if (windows.isEmpty()) {
            return new float[0][];
        }
        int n = windows.size();
        int c = channels.size();
        FloatBuffer buf = FloatBuffer.allocate(n * window * c * samples);
        for (float[][][] w : windows) {
            for (float[][] epoch : w) {
                for (int ch = 0; ch < c; ch++) {
                    if (epoch == null) {
                        buf.position(buf.position() + samples);
                    } else {
                        buf.put(epoch[ch], 0, samples);
                    }
                }
            }
        }
        buf.rewind();
        try (OnnxTensor t = OnnxTensor.createTensor(env, buf, new long[] {n, window, c, samples});
                OrtSession.Result r = session.run(Map.of(inputName, t), Set.of(outputName))) {
            float[][] p = (float[][]) r.get(outputName).orElseThrow(() -> new IllegalStateException(
                    "model " + card.id() + " returned no " + outputName)).getValue();
            for (float[] row : p) {
                if (row.length != Stage.SCORED.size()) {
                    throw new IllegalStateException("model " + card.id() + " returned " + row.length
                            + " probabilities, expected " + Stage.SCORED.size());
                }
            }
            return p;
        } catch (OrtException e) {
            throw new IllegalStateException("model " + card.id() + " failed on a batch of " + n + " windows: "
                    + e.getMessage(), e);
        }
    }

    private static double[] toDouble(float[] p) {
        double[] d = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            d[i] = p[i];
        }
        return d;
    }
}
