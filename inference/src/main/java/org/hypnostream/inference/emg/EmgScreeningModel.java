package org.hypnostream.inference.emg;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.hypnostream.common.event.JsonCodec;
import org.hypnostream.inference.runtime.ModelCard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The needle-EMG screening model ({@code models/emg-alsnet-v2}): raw µV windows at the card's rate in, class
 * probabilities out. All preprocessing (anti-aliased decimation, offset removal, scaling) is inside the ONNX graph,
 * so Java only cuts windows. Loading checks the card against the graph and the file's sha256, and refuses a model
 * that disagrees. Thread-safe for {@link #score}; {@link #close()} releases the session.
 */
public final class EmgScreeningModel implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmgScreeningModel.class);

    private final ModelCard card;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final String inputName;
    private final int windowSamples;

    private EmgScreeningModel(ModelCard card, OrtEnvironment env, OrtSession session, int windowSamples) {
        this.card = card;
        this.env = env;
        this.session = session;
        this.inputName = card.inputs().get(0).name();
        this.windowSamples = windowSamples;
    }

    /** Loads {@code <id>.model.json} and the ONNX file it names (same folder), on the CPU execution provider. */
    public static EmgScreeningModel load(Path cardFile) {
        ModelCard card;
        byte[] onnx;
        try {
            card = JsonCodec.mapper().readValue(Files.readAllBytes(cardFile), ModelCard.class);
            onnx = Files.readAllBytes(cardFile.resolveSibling(card.onnx()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read EMG model card or graph " + cardFile + ": " + e.getMessage(), e);
        }
        String where = "model " + card.id() + " (" + cardFile + ")";
        if (!ModelCard.TASK_NEUROMUSCULAR.equals(card.task())) {
            throw new IllegalArgumentException(where + ": task is " + card.task() + ", expected " + ModelCard.TASK_NEUROMUSCULAR);
        }
        String sha = sha256(onnx);
        if (card.sha256() == null || !card.sha256().equalsIgnoreCase(sha)) {
            throw new IllegalArgumentException(where + ": sha256 of " + card.onnx() + " is " + sha + ", card says " + card.sha256());
        }
        if (card.inputs().size() != 1 || card.outputs().size() != 1 || card.inputSignals().size() != 1) {
            throw new IllegalArgumentException(where + ": expected one input, one output and one input signal");
        }
        List<Long> in = card.inputs().get(0).shape();
        List<Long> out = card.outputs().get(0).shape();
        if (in.size() != 2 || in.get(1) <= 0 || out.size() != 2 || out.get(1) != card.outputClasses().size()) {
            throw new IllegalArgumentException(where + ": card shapes " + in + " -> " + out + " do not fit [batch, samples] -> [batch, "
                    + card.outputClasses().size() + " classes]");
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try {
            OrtSession session = env.createSession(onnx, new OrtSession.SessionOptions());
            try {
                check(where, "input", session.getInputInfo(), card.inputs().get(0));
                check(where, "output", session.getOutputInfo(), card.outputs().get(0));
            } catch (RuntimeException e) {
                session.close();
                throw e;
            }
            LOG.info("loaded EMG screening model {} (sha256 {}, window {} samples at {} Hz, classes {})", card.id(), sha,
                    in.get(1), card.inputSignals().get(0).rateHz(), card.outputClasses());
            return new EmgScreeningModel(card, env, session, Math.toIntExact(in.get(1)));
        } catch (OrtException e) {
            throw new IllegalArgumentException(where + ": ONNX Runtime cannot load the graph: " + e.getMessage(), e);
        }
    }

    private static void check(String where, String what, Map<String, NodeInfo> graph, ModelCard.TensorSpec spec)
            throws OrtException {
        NodeInfo node = graph.get(spec.name());
        if (graph.size() != 1 || node == null || !(node.getInfo() instanceof TensorInfo info)) {
            throw new IllegalArgumentException(where + ": graph " + what + "s " + graph.keySet() + " but card names " + spec.name());
        }
        long[] shape = info.getShape();
        long[] want = spec.shape().stream().mapToLong(Long::longValue).toArray();
        boolean ok = shape.length == want.length;
        for (int i = 0; ok && i < shape.length; i++) {
            ok = want[i] < 0 ? shape[i] < 0 : shape[i] == want[i];
        }
        if (!ok) {
            throw new IllegalArgumentException(where + ": graph " + what + " " + spec.name() + " has shape "
                    + Arrays.toString(shape) + ", card says " + spec.shape());
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
    }

    public ModelCard card() {
        return card;
    }

    public String id() {
        return card.id();
    }

    public String sha256() {
        return card.sha256();
    }

    /** The execution provider scoring runs on (this class always uses the CPU provider). */
    public String provider() {
        return "CPU";
    }

    /** Raw samples per window (23436 for emg-alsnet-v2: 0.99994 s at 23437.5 Hz); the hop equals the window. */
    public int windowSamples() {
        return windowSamples;
    }

    /** The input rate the model was trained at, Hz. */
    public double sampleRateHz() {
        return card.inputSignals().get(0).rateHz();
    }

    /** Class names in the order of the probabilities (ALS, myopathy, normal). */
    public List<String> classes() {
        return card.outputClasses();
    }

    /**
     * Cuts a whole recording into consecutive non-overlapping windows of {@link #windowSamples()} samples, from the
     * first sample; a tail shorter than a window is not scored (as in training).
     */
    public float[][] windowsOf(float[] recording) {
        int n = recording.length / windowSamples;
        float[][] windows = new float[n][];
        for (int i = 0; i < n; i++) {
            windows[i] = Arrays.copyOfRange(recording, i * windowSamples, (i + 1) * windowSamples);
        }
        return windows;
    }

    /** Scores a batch of windows (each exactly {@link #windowSamples()} µV samples); one probability row per window. */
    public float[][] score(float[][] windows) {
        if (windows.length == 0) {
            return new float[0][];
        }
        FloatBuffer buf = FloatBuffer.allocate(windows.length * windowSamples);
        for (int i = 0; i < windows.length; i++) {
            if (windows[i].length != windowSamples) {
                throw new IllegalArgumentException("model " + card.id() + ": window " + i + " of the batch has "
                        + windows[i].length + " samples, expected " + windowSamples);
            }
            buf.put(windows[i]);
        }
        buf.flip();
        try (OnnxTensor t = OnnxTensor.createTensor(env, buf, new long[] {windows.length, windowSamples});
                OrtSession.Result r = session.run(Map.of(inputName, t))) {
            FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
            float[][] probs = new float[windows.length][classes().size()];
            for (float[] row : probs) {
                fb.get(row);
            }
            return probs;
        } catch (OrtException e) {
            throw new IllegalStateException("model " + card.id() + ": scoring a batch of " + windows.length + " windows failed: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            LOG.warn("closing EMG model {} session failed: {}", card.id(), e.getMessage());
        }
    }
}
