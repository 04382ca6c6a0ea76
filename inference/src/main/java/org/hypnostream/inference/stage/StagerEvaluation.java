package org.hypnostream.inference.stage;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.hypnostream.common.config.ModelsFolder;
import org.hypnostream.common.event.JsonCodec;
import org.hypnostream.common.event.Stage;
import org.hypnostream.inference.runtime.ModelCard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code hypnostream evaluate stager --features DIR [--json] [--revised] [--model CARD]}: runs the Java scoring path
 * ({@link SequenceStager} for a gru-window card, the default; {@link CausalStager}, ONNX + HMM, for the older cards)
 * over every night file {@code SC4ssN.npz} in DIR (layout of shared/data/sleep-edf-sc-features), in time order per
 * night, scores every epoch with {@code stage >= 0} (absent-feature epochs predicted from prior epochs) and prints
 * the figures of the training reports. A row is the epoch's 105 features followed by its 15 {@code welch_rel} values
 * from the file (the training values): v2 uses neither for an absent epoch, v3 uses its Welch powers for that epoch's
 * own prediction only. {@code --revised} scores v3's morning re-score (non-causal) the same way.
 */
public final class StagerEvaluation {
    public static final String DEFAULT_MODEL = "stager-features-welch-gru-v3";
    private static final Logger LOG = LoggerFactory.getLogger(StagerEvaluation.class);
    private static final Pattern NIGHT = Pattern.compile("SC4\\d\\d\\d\\.npz");

    private StagerEvaluation() {
    }

    /** One night's outcome. */
    record Night(String name, StagerMetrics all, StagerMetrics nearTransition, StagerMetrics absent,
            StagerMetrics afterAbsent) {
    }

    /** The whole evaluation ({@code revised}: the morning re-score's figures, not the live ones). */
    record Report(String modelId, String sha256, String provider, boolean revised, List<Night> nights,
            List<String> skipped) {
        StagerMetrics total(int which) {
            StagerMetrics m = new StagerMetrics();
            for (Night n : nights) {
                m.addAll(switch (which) {
                    case 0 -> n.all();
                    case 1 -> n.nearTransition();
                    case 2 -> n.absent();
                    default -> n.afterAbsent();
                });
            }
            return m;
        }
    }

    /** {@code StagerEvaluation --features DIR [--json] [--model CARD.model.json]}; prints the figures. */
    public static void main(String[] args) throws IOException {
        Path dir = null;
        Path card = null;
        boolean json = false;
        boolean revised = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--features" -> dir = Path.of(args[++i]);
                case "--model" -> card = Path.of(args[++i]);
                case "--json" -> json = true;
                case "--revised" -> revised = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; usage: evaluate stager --features DIR [--json] [--revised] [--model CARD]");
            }
        }
        if (dir == null) {
            throw new IllegalArgumentException("usage: evaluate stager --features DIR [--json] [--revised] [--model CARD]");
        }
        System.out.println(run(dir, card == null ? defaultCard() : card, json, revised));
    }

    /** CLI entry: the default model card found under {@code models/} (see {@link #defaultCard()}). */
    public static String run(Path featuresDir, boolean json) throws IOException {
        return run(featuresDir, defaultCard(), json);
    }

    /** CLI entry with an explicit model card; returns the text (or one JSON object) to print. */
    public static String run(Path featuresDir, Path cardFile, boolean json) throws IOException {
        return run(featuresDir, cardFile, json, false);
    }

    /**
     * CLI entry with an explicit model card; {@code revised}: score the morning re-score (non-causal) instead of the
     * live stages, same protocol. Returns the text (or one JSON object) to print.
     */
    public static String run(Path featuresDir, Path cardFile, boolean json, boolean revised) throws IOException {
        ModelCard card = readCard(cardFile);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        boolean sequence = card.causalContext() != null
                && SequenceStager.TYPE.equals(card.causalContext().path("type").asText());
        if (revised && !sequence) {
            throw new IllegalArgumentException("model " + card.id() + " has no morning re-score (--revised needs a "
                    + SequenceStager.TYPE + " model)");
        }
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
                OrtSession session = env.createSession(onnxFile(cardFile, card).toString(), opts);
                OrtSession back = revised ? env.createSession(revisedOnnxFile(cardFile, card).toString(), opts) : null) {
            FeatureRowScorer stager = sequence ? new SequenceStager(card, env, session, "CPU", back)
                    : new CausalStager(card, env, session, "CPU");
            Report r = evaluate(stager, featuresDir, revised);
            return json ? JsonCodec.toJson(toJson(r)) : text(r);
        } catch (OrtException e) {
            throw new IOException("cannot load model " + card.id() + ": " + e.getMessage(), e);
        }
    }

    /** The revised (anti-causal) graph of a sequence card ({@code causal_context.revised}), sha256 checked. */
    public static Path revisedOnnxFile(Path cardFile, ModelCard card) throws IOException {
        com.fasterxml.jackson.databind.JsonNode rv = card.causalContext().path("revised");
        String file = rv.path("onnx").asText("");
        if (file.isEmpty() || file.contains("/") || file.contains("\\")) {
            throw new IOException("model " + card.id() + ": causal_context.revised.onnx '" + file
                    + "' must be a plain file name beside the card");
        }
        Path onnx = cardFile.resolveSibling(file);
        checkSha(onnx, rv.path("sha256").asText(""), card.id() + " (revised graph)");
        return onnx;
    }

    /** {@code <DEFAULT_MODEL>.model.json} in the models folder ({@link ModelsFolder}'s rule). */
    public static Path defaultCard() {
        return ModelsFolder.resolve().resolve(DEFAULT_MODEL + ".model.json");
    }

    public static ModelCard readCard(Path cardFile) throws IOException {
        return JsonCodec.mapper().readValue(cardFile.toFile(), ModelCard.class);
    }

    /** The card's ONNX file beside it, after checking its sha256 against the card. */
    public static Path onnxFile(Path cardFile, ModelCard card) throws IOException {
        Path onnx = cardFile.resolveSibling(card.onnx());
        checkSha(onnx, card.sha256(), card.id());
        return onnx;
    }

    private static void checkSha(Path onnx, String expected, String what) throws IOException {
        try {
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(onnx)));
            if (!sha.equalsIgnoreCase(expected)) {
                throw new IOException(onnx + ": sha256 " + sha + " differs from card " + what + " (" + expected + ")");
            }
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Scores every night file of {@code dir} in name order; unreadable files are skipped and listed. */
    static Report evaluate(FeatureRowScorer stager, Path dir) throws IOException {
        return evaluate(stager, dir, false);
    }

    /** As {@link #evaluate(FeatureRowScorer, Path)}; {@code revised}: the morning re-score of each whole night. */
    static Report evaluate(FeatureRowScorer stager, Path dir, boolean revised) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> NIGHT.matcher(p.getFileName().toString()).matches()).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IOException(dir + ": no SC4ssN.npz night files");
        }
        List<Night> nights = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Path f : files) {
            try {
                nights.add(night(stager, f, revised));
            } catch (IOException | IllegalArgumentException e) {
                LOG.warn("skipping night file {}: {}", f, e.getMessage());
                skipped.add(f.getFileName() + ": " + e.getMessage());
            }
        }
        return new Report(stager.modelId(), stager.modelSha256(), stager.provider(), revised, nights, skipped);
    }

    static Night night(FeatureRowScorer stager, Path file) throws IOException {
        return night(stager, file, false);
    }

    /**
     * One night scored from a fresh state. A row is the epoch's 105 features (NaN where the file has none) then its
     * 15 welch_rel values: a stager with the welch input decides from it (v2: an epoch with a non-finite feature uses
     * neither; v3: it uses its Welch powers for that epoch's own prediction only).
     */
    static Night night(FeatureRowScorer stager, Path file, boolean revised) throws IOException {
        Map<String, NpzReader.NpyArray> a = NpzReader.read(file);
        NpzReader.NpyArray feats = a.get("features");
        NpzReader.NpyArray stage = a.get("stage");
        if (feats == null || stage == null) {
            throw new IllegalArgumentException("needs arrays 'features' and 'stage', has " + a.keySet());
        }
        int n = stage.values().length;
        if (feats.shape().length != 2 || feats.shape()[0] != n || feats.shape()[1] != 105) {
            throw new IllegalArgumentException("features shape " + java.util.Arrays.toString(feats.shape())
                    + ", expected [" + n + ", 105]");
        }
        NpzReader.NpyArray welch = null;
        if (stager.usesWelch()) {
            welch = a.get("welch_rel");
            if (welch == null || welch.shape().length != 3 || welch.shape()[0] != n || welch.shape()[1] != 3
                    || welch.shape()[2] != 5) {
                throw new IllegalArgumentException("model " + stager.modelId() + " needs 'welch_rel' of shape [" + n
                        + ", 3, 5], file has " + (welch == null ? "none" : java.util.Arrays.toString(welch.shape())));
            }
        }
        int width = stager.rowWidth();
        NpzReader.NpyArray onset = a.get("onset_s");
        for (int i = 1; onset != null && i < n; i++) {
            if (onset.values()[i] != onset.values()[i - 1] + 30) {
                throw new IllegalArgumentException("epoch " + i + " onset " + onset.values()[i]
                        + " s does not follow " + onset.values()[i - 1] + " s by 30 s");
            }
        }
        float[][] rows = new float[n][];
        boolean[] absentRow = new boolean[n];
        int[] truth = new int[n];
        for (int i = 0; i < n; i++) {
            truth[i] = (int) stage.values()[i];
            double[] r = feats.row(i);
            float[] fr = new float[width];
            boolean ok = true;
            for (int j = 0; j < r.length; j++) {
                fr[j] = (float) r[j];
                ok &= Float.isFinite(fr[j]);
            }
            boolean welchOk = true;
            for (int j = r.length; j < width; j++) {
                fr[j] = (float) welch.values()[i * (width - r.length) + j - r.length];
                welchOk &= Float.isFinite(fr[j]);
            }
            absentRow[i] = !(ok && welchOk);
            rows[i] = welchOk && (ok || width > r.length) ? fr : null;
        }
        List<StageResult> res = revised ? stager.reviseFeatureSequence(rows, "no features in file")
                : stager.scoreFeatureSequence(stager.newState(), 0, rows, "no features in file");
        boolean[] near = StagerMetrics.nearTransition(truth);
        StagerMetrics all = new StagerMetrics();
        StagerMetrics nt = new StagerMetrics();
        StagerMetrics absent = new StagerMetrics();
        StagerMetrics afterAbsent = new StagerMetrics();
        for (int i = 0; i < n; i++) {
            StageResult r = res.get(i);
            int pred = r.stage() == Stage.UNSCORED ? -1 : r.stage().ordinal();
            double conf = r.probabilities().isEmpty() ? Double.NaN : r.probabilities().get(pred < 0 ? 0 : pred);
            all.add(truth[i], pred, conf);
            if (near[i]) {
                nt.add(truth[i], pred, conf);
            }
            if (absentRow[i]) {
                absent.add(truth[i], pred, conf);
            } else if (i > 0 && absentRow[i - 1]) {
                afterAbsent.add(truth[i], pred, conf);
            }
        }
        String name = file.getFileName().toString();
        return new Night(name.substring(0, name.length() - 4), all, nt, absent, afterAbsent);
    }

    static ObjectNode figures(StagerMetrics m) {
        ObjectNode o = JsonCodec.mapper().createObjectNode();
        o.put("epochs", m.epochs());
        o.put("correct", m.correct());
        o.put("accuracy", m.accuracy());
        o.put("macro_f1", m.macroF1());
        o.put("kappa", m.kappa());
        ObjectNode f1 = o.putObject("per_class_f1");
        double[] pc = m.perClassF1();
        for (int k = 0; k < StagerMetrics.K; k++) {
            f1.put(Stage.SCORED.get(k).name(), pc[k]);
        }
        ArrayNode cm = o.putArray("confusion");
        for (long[] row : m.confusion) {
            ArrayNode r = cm.addArray();
            for (long v : row) {
                r.add(v);
            }
        }
        ArrayNode un = o.putArray("unscored");
        for (long v : m.unscored) {
            un.add(v);
        }
        o.put("ece", m.ece());
        return o;
    }

    static ObjectNode toJson(Report r) {
        ObjectNode o = figures(r.total(0));
        o.put("model", r.modelId());
        o.put("sha256", r.sha256());
        o.put("provider", r.provider());
        o.put("revised", r.revised());
        o.put("nights", r.nights().size());
        o.set("near_transition", figures(r.total(1)));
        StagerMetrics ab = r.total(2);
        ObjectNode abs = o.putObject("absent_feature_epochs");
        abs.put("epochs", ab.epochs());
        abs.put("accuracy", ab.accuracy());
        abs.put("kappa", ab.kappa());
        StagerMetrics aa = r.total(3);
        ObjectNode after = o.putObject("after_absent");
        after.put("epochs", aa.epochs());
        after.put("accuracy", aa.accuracy());
        after.put("kappa", aa.kappa());
        double[] kap = r.nights().stream().mapToDouble(n -> n.all().kappa()).toArray();
        ObjectNode pk = o.putObject("per_night_kappa");
        if (kap.length > 0) {
            pk.put("min", StagerMetrics.percentile(kap, 0));
            pk.put("p10", StagerMetrics.percentile(kap, 10));
            pk.put("p25", StagerMetrics.percentile(kap, 25));
            pk.put("median", StagerMetrics.percentile(kap, 50));
            pk.put("p75", StagerMetrics.percentile(kap, 75));
            pk.put("max", StagerMetrics.percentile(kap, 100));
        }
        ArrayNode pn = o.putArray("per_night");
        for (Night n : r.nights()) {
            ObjectNode x = pn.addObject();
            x.put("night", n.name());
            x.put("epochs", n.all().epochs());
            x.put("correct", n.all().correct());
            x.put("accuracy", n.all().accuracy());
            x.put("kappa", n.all().kappa());
        }
        ArrayNode sk = o.putArray("skipped");
        r.skipped().forEach(sk::add);
        return o;
    }

    static String text(Report r) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("stager %s (sha256 %s, %s): %d nights, %s%n", r.modelId(), r.sha256(), r.provider(),
                r.nights().size(), r.revised() ? "REVISED (morning re-score, non-causal)" : "live (causal)"));
        String[] names = {"all expert-labelled epochs", "within 1.5 min of a transition", "absent-feature epochs",
            "right after an absent epoch"};
        for (int w = 0; w < 4; w++) {
            StagerMetrics m = r.total(w);
            double[] f1 = m.perClassF1();
            b.append(String.format("%-32s epochs %7d  accuracy %.4f  macro-F1 %.4f  kappa %.4f  ECE %.4f%n", names[w],
                    m.epochs(), m.accuracy(), m.macroF1(), m.kappa(), m.ece()));
            b.append(String.format("%-32s F1 W %.3f  N1 %.3f  N2 %.3f  N3 %.3f  REM %.3f%n", "", f1[0], f1[1], f1[2],
                    f1[3], f1[4]));
        }
        StagerMetrics m = r.total(0);
        b.append("confusion (rows expert W N1 N2 N3 REM; columns predicted; last column UNSCORED):\n");
        for (int i = 0; i < StagerMetrics.K; i++) {
            b.append(String.format("  %-3s", Stage.SCORED.get(i).name()));
            for (long v : m.confusion[i]) {
                b.append(String.format(" %7d", v));
            }
            b.append(String.format(" %7d%n", m.unscored[i]));
        }
        double[] kap = r.nights().stream().mapToDouble(n -> n.all().kappa()).toArray();
        if (kap.length > 0) {
            b.append(String.format("per-night kappa: min %.3f  p10 %.3f  p25 %.3f  median %.3f  p75 %.3f  max %.3f%n",
                    StagerMetrics.percentile(kap, 0), StagerMetrics.percentile(kap, 10),
                    StagerMetrics.percentile(kap, 25), StagerMetrics.percentile(kap, 50),
                    StagerMetrics.percentile(kap, 75), StagerMetrics.percentile(kap, 100)));
        }
        for (String s : r.skipped()) {
            b.append("skipped ").append(s).append('\n');
        }
        return b.toString();
    }
}
