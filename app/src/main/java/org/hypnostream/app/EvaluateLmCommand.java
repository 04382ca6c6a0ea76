package org.hypnostream.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.hypnostream.common.event.JsonCodec;
import org.hypnostream.common.event.LegSide;
import org.hypnostream.inference.leg.LegRules;
import org.hypnostream.inference.leg.LmEvaluation;
import org.hypnostream.ingest.edf.EdfFile;
import org.hypnostream.ingest.edf.EdfReader;
import org.hypnostream.ingest.edf.EdfSignal;
import org.hypnostream.stream.plm.MonoLm;
import org.hypnostream.stream.plm.PlmBatch;
import org.hypnostream.stream.plm.PlmRuleSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hypnostream evaluate lm}: leg EMG from an EDF through the live leg-movement detector, compared with scored
 * movements; PLM series and indices found vs those implied by the scored movements under the same rule set. Without
 * stage information every index is per hour of recording.
 */
@Command(name = "lm", mixinStandardHelpOptions = true,
        description = "Compare detected leg movements with scored ones (CSV onset_s,duration_s,side).")
final class EvaluateLmCommand implements Callable<Integer> {
    @Option(names = "--edf", required = true, description = "EDF/EDF+ file with left and right leg EMG.")
    Path edf;

    @Option(names = "--events", required = true, description = "CSV of scored movements: onset_s,duration_s,side (L or R).")
    Path events;

    @Option(names = "--left", description = "Label of the left-leg channel (default: recognised, e.g. 'Left Leg').")
    String left;

    @Option(names = "--right", description = "Label of the right-leg channel (default: recognised, e.g. 'Right Leg').")
    String right;

    @Option(names = "--rules", defaultValue = "wasm", description = "wasm (WASM 2016) or aasm (default ${DEFAULT-VALUE}).")
    String rules;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        EdfFile f = EdfReader.read(edf);
        EdfSignal l = leg(f, left, true);
        EdfSignal r = leg(f, right, false);
        if (l == null && r == null) {
            throw new IllegalArgumentException(edf + ": no leg EMG channel found; name them with --left/--right");
        }
        if (l != null && r != null && l.sampleRateHz() != r.sampleRateHz()) {
            throw new IllegalArgumentException(edf + ": left and right legs have different rates");
        }
        double rate = l != null ? l.sampleRateHz() : r.sampleRateHz();
        boolean aasm = rules.equalsIgnoreCase("aasm");
        if (!aasm && !rules.equalsIgnoreCase("wasm")) {
            throw new IllegalArgumentException("--rules must be wasm or aasm, not " + rules);
        }
        List<LmEvaluation.Movement> scored = readCsv(events);
        LmEvaluation.Result res = LmEvaluation.evaluate(floats(l), floats(r), rate, scored,
                aasm ? LegRules.aasm() : LegRules.wasm2016());
        double hours = f.recordCount() * f.recordDurationSeconds() / 3600.0;
        PlmRuleSet set = aasm ? PlmRuleSet.AASM : PlmRuleSet.WASM2016;
        PlmBatch.Summary found = PlmBatch.summarise(monos(res.found()), set, hours);
        PlmBatch.Summary expected = PlmBatch.summarise(monos(scored), set, hours);
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("edf", edf.toString());
        out.put("rules", set.name());
        out.put("recording_hours", hours);
        out.put("scored", scored.size());
        out.put("found", res.found().size());
        out.put("true_positives", res.truePositives());
        out.put("false_positives", res.falsePositives());
        out.put("false_negatives", res.falseNegatives());
        out.put("precision", res.precision());
        out.put("recall", res.recall());
        out.put("f1", res.f1());
        out.put("mean_abs_onset_error_s", Double.isNaN(res.meanAbsOnsetErrorSeconds()) ? null : res.meanAbsOnsetErrorSeconds());
        out.put("plm_count_found", found.plmCount());
        out.put("plm_count_expected", expected.plmCount());
        out.put("plm_index_found", found.plmIndex());
        out.put("plm_index_expected", expected.plmIndex());
        out.put("lm_index_found", found.lmIndex());
        out.put("lm_index_expected", expected.lmIndex());
        out.put("periodicity_found", found.periodicityIndex());
        out.put("periodicity_expected", expected.periodicityIndex());
        out.put("channel_problems", res.problems().stream().map(p -> p.side() + " " + p.condition() + ": " + p.detail()).toList());
        if (json) {
            System.out.println(JsonCodec.toJson(out));
        } else {
            out.forEach((k, v) -> System.out.printf(Locale.ROOT, "%-26s %s%n", k, v));
        }
        return 0;
    }

    private static float[] floats(EdfSignal s) {
        if (s == null) {
            return null;
        }
        double[] uv = s.microvolts();
        float[] out = new float[uv.length];
        for (int i = 0; i < uv.length; i++) {
            out[i] = (float) uv[i];
        }
        return out;
    }

    private EdfSignal leg(EdfFile f, String label, boolean leftSide) {
        if (label != null) {
            EdfSignal s = f.signals().stream().filter(x -> x.label().equals(label)).findFirst().orElse(null);
            if (s == null) {
                throw new IllegalArgumentException(edf + ": no channel labelled '" + label + "'");
            }
            return s;
        }
        for (EdfSignal s : f.signals()) {
            String t = s.label().toLowerCase(Locale.ROOT);
            boolean isLeg = t.contains("leg") || t.contains("tib") || t.contains("lat");
            boolean isLeft = t.matches(".*\\b(l|left|lat1|ltib)\\b.*") || t.startsWith("left") || t.contains("left");
            boolean isRight = t.matches(".*\\b(r|right|lat2|rtib)\\b.*") || t.startsWith("right") || t.contains("right");
            if (isLeg && (leftSide ? isLeft && !isRight : isRight && !isLeft)) {
                return s;
            }
        }
        return null;
    }

    static List<LmEvaluation.Movement> readCsv(Path csv) throws IOException {
        List<LmEvaluation.Movement> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(csv);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty() || line.startsWith("#") || (i == 0 && line.toLowerCase(Locale.ROOT).startsWith("onset"))) {
                continue;
            }
            String[] p = line.split(",");
            try {
                if (p.length != 3) {
                    throw new IllegalArgumentException("expected 3 fields");
                }
                double onset = Double.parseDouble(p[0].trim());
                double dur = Double.parseDouble(p[1].trim());
                String side = p[2].trim().toUpperCase(Locale.ROOT);
                if (!(onset >= 0) || !(dur > 0) || !(side.equals("L") || side.equals("R"))) {
                    throw new IllegalArgumentException("onset >= 0, duration > 0 and side L or R required");
                }
                out.add(new LmEvaluation.Movement(onset, dur, side.equals("L") ? LegSide.LEFT : LegSide.RIGHT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(csv + " line " + (i + 1) + ": '" + line + "': " + e.getMessage(), e);
            }
        }
        return out;
    }

    static List<MonoLm> monos(List<LmEvaluation.Movement> ms) {
        List<MonoLm> out = new ArrayList<>();
        for (LmEvaluation.Movement m : ms) {
            long on = Math.round(m.onsetSeconds() * 1e6);
            out.add(new MonoLm(m.side(), on, on + Math.round(m.durationSeconds() * 1e6)));
        }
        return out;
    }
}
