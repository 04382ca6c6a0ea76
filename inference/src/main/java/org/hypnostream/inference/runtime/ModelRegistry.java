package org.hypnostream.inference.runtime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.hypnostream.common.event.JsonCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads every model card ({@code *.model.json}) of a folder, checks the ONNX file's sha256 and the graph's input and
 * output names, element types, ranks and dimensions against the card, and opens one session per model on the
 * selected execution provider. Any disagreement refuses the start with a {@link ModelRefusedException} naming each
 * model and mismatch; nothing is scored with a model whose card is wrong.
 */
public final class ModelRegistry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelRegistry.class);
    private static final String CARD_SUFFIX = ".model.json";

    private final List<LoadedModel> models;

    private ModelRegistry(List<LoadedModel> models) {
        this.models = List.copyOf(models);
    }

    /** Probes the provider for {@code device} (auto|cuda|cpu) and loads {@code dir} (one intra-op thread per session). */
    public static ModelRegistry load(Path dir, String device) {
        return load(dir, device, 1);
    }

    /** As {@link #load(Path, String)} with {@code intraOpThreads} per session (0 = ONNX Runtime default). */
    public static ModelRegistry load(Path dir, String device, int intraOpThreads) {
        return load(dir, Providers.select(Providers.Device.parse(device)).withThreads(intraOpThreads));
    }

    public static ModelRegistry load(Path dir, Providers.Selection selection) {
        if (!Files.isDirectory(dir)) {
            throw new ModelRefusedException(List.of("model folder " + dir + " does not exist"));
        }
        LOG.info("execution provider {} ({})", selection.provider(), selection.reason());
        List<Path> cards;
        try (Stream<Path> s = Files.list(dir)) {
            cards = s.filter(p -> p.getFileName().toString().endsWith(CARD_SUFFIX)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list model folder " + dir, e);
        }
        List<String> problems = new ArrayList<>();
        List<LoadedModel> loaded = new ArrayList<>();
        for (Path cardFile : cards) {
            try {
                loadOne(dir, cardFile, selection, problems).ifPresent(loaded::add);
            } catch (CudaStartException e) {
                loaded.forEach(LoadedModel::close);
                if (selection.requested() == Providers.Device.AUTO) {
                    LOG.warn("auto: CUDA detected but unusable ({}); falling back to CPU", e.getMessage());
                    return load(dir, new Providers.Selection(Providers.Device.AUTO, Providers.CPU,
                            "auto: CUDA session failed (" + e.getMessage() + "); using CPU", selection.intraOpThreads()));
                }
                throw e;
            } catch (OrtException | IOException | RuntimeException e) {
                problems.add(cardFile.getFileName() + ": cannot load: " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            loaded.forEach(LoadedModel::close);
            throw new ModelRefusedException(problems);
        }
        loaded.forEach(m -> LOG.info("model {} loaded ({}, sha256 {}, provider {})", m.id(), m.card().task(),
                m.sha256(), m.provider()));
        return new ModelRegistry(loaded);
    }

    private static Optional<LoadedModel> loadOne(Path dir, Path cardFile, Providers.Selection selection,
            List<String> problems) throws IOException, OrtException {
        String where = cardFile.getFileName().toString();
        ModelCard card;
        try {
            card = JsonCodec.mapper().readValue(cardFile.toFile(), ModelCard.class);
        } catch (IOException | RuntimeException e) {
            problems.add(where + ": unreadable model card: " + e.getMessage().lines().findFirst().orElse(""));
            return Optional.empty();
        }
        String name = "model " + card.id() + " (" + where + ")";
        if (card.onnx().contains("/") || card.onnx().contains("\\") || card.onnx().startsWith(".")) {
            problems.add(name + ": onnx file name '" + card.onnx() + "' must be a plain file name in the model folder");
            return Optional.empty();
        }
        Path onnx = dir.resolve(card.onnx());
        if (!Files.isRegularFile(onnx)) {
            problems.add(name + ": onnx file " + onnx + " not found");
            return Optional.empty();
        }
        String sha = sha256(onnx);
        if (card.sha256() == null || !card.sha256().equalsIgnoreCase(sha)) {
            problems.add(name + ": sha256 mismatch: card says " + card.sha256() + ", file " + card.onnx() + " is " + sha);
            return Optional.empty();
        }
        OrtSession session = open(onnx, selection, name);
        int before = problems.size();
        compare(name, "input", card.inputs(), session.getInputInfo(), problems);
        compare(name, "output", card.outputs(), session.getOutputInfo(), problems);
        if (problems.size() > before) {
            session.close();
            return Optional.empty();
        }
        return Optional.of(new LoadedModel(card, onnx, session, selection.provider()));
    }

    private static OrtSession open(Path onnx, Providers.Selection selection, String name) throws OrtException {
        try (OrtSession.SessionOptions o = Providers.options(selection)) {
            return OrtEnvironment.getEnvironment().createSession(onnx.toString(), o);
        } catch (OrtException | RuntimeException e) {
            if (selection.cuda()) {
                throw new CudaStartException(name + ": CUDA execution provider failed to start ("
                        + e.getMessage() + "); the CUDA/cuDNN libraries do not match this ONNX Runtime build", e);
            }
            throw e;
        }
    }

    /** The CUDA provider could not create a session (missing or mismatched CUDA/cuDNN libraries). */
    static final class CudaStartException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        CudaStartException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    static void compare(String name, String kind, List<ModelCard.TensorSpec> specs, Map<String, NodeInfo> graph,
            List<String> problems) {
        List<String> cardNames = specs.stream().map(ModelCard.TensorSpec::name).toList();
        if (!cardNames.equals(List.copyOf(graph.keySet()))) {
            problems.add(name + ": " + kind + " names differ: card " + cardNames + ", graph " + graph.keySet());
            return;
        }
        for (ModelCard.TensorSpec spec : specs) {
            if (!(graph.get(spec.name()).getInfo() instanceof TensorInfo t)) {
                problems.add(name + ": " + kind + " '" + spec.name() + "' is not a tensor in the graph");
                continue;
            }
            if (!"float32".equals(spec.type()) || t.type != OnnxJavaType.FLOAT) {
                problems.add(name + ": " + kind + " '" + spec.name() + "' type: card " + spec.type() + ", graph " + t.type
                        + " (only float32 is supported)");
            }
            long[] want = spec.shape().stream().mapToLong(Long::longValue).toArray();
            long[] have = t.getShape();
            if (want.length != have.length) {
                problems.add(name + ": " + kind + " '" + spec.name() + "' rank: card " + Arrays.toString(want) + ", graph "
                        + Arrays.toString(have));
                continue;
            }
            for (int i = 0; i < want.length; i++) {
                long h = have[i] < 0 ? -1 : have[i];
                if (want[i] != h) {
                    problems.add(name + ": " + kind + " '" + spec.name() + "' dimension " + i + ": card " + want[i]
                            + ", graph " + h + " (card shape " + Arrays.toString(want) + ", graph "
                            + Arrays.toString(have) + ")");
                }
            }
        }
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                d.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public List<LoadedModel> models() {
        return models;
    }

    public LoadedModel require(String id) {
        return models.stream().filter(m -> m.id().equals(id)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("no model " + id + " loaded; loaded: "
                        + models.stream().map(LoadedModel::id).toList()));
    }

    /** The first model (by card file name) of a task, e.g. {@link ModelCard#TASK_STAGING}. */
    public Optional<LoadedModel> firstForTask(String task) {
        return models.stream().filter(m -> m.card().task().equals(task)).findFirst();
    }

    @Override
    public void close() {
        models.forEach(LoadedModel::close);
    }
}
