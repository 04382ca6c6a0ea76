package org.hypnostream.inference.emg;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.hypnostream.common.event.JsonCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates the screening model over labelled recordings (the Java path of {@code hypnostream evaluate emg}):
 * cuts each recording into the model's windows, scores them, aggregates per recording with
 * {@link RecordingAggregator} and computes {@link ScreeningMetrics}. A recording at the wrong rate or shorter than
 * one window is not scored and is listed under {@code skipped} with the reason (never silently dropped).
 */
public final class EmgEvaluation {
    private static final Logger LOG = LoggerFactory.getLogger(EmgEvaluation.class);
    private static final int BATCH = 16;

    private EmgEvaluation() {
    }

    /** One recording to evaluate: name, label (ALS / myopathy / normal or control), µV samples and their rate. */
    public record LabelledRecording(String name, String label, float[] samples, double sampleRateHz) {
        public LabelledRecording {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(samples, "samples of " + name);
            label = EmgClasses.ALL.get(EmgClasses.index(Objects.requireNonNull(label, "label of " + name)));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof LabelledRecording r && name.equals(r.name) && label.equals(r.label)
                    && Double.compare(sampleRateHz, r.sampleRateHz) == 0 && Arrays.equals(samples, r.samples);
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, label, sampleRateHz) * 31 + Arrays.hashCode(samples);
        }

        @Override
        public String toString() {
            return "LabelledRecording[" + name + ", " + label + ", " + samples.length + " samples at " + sampleRateHz + " Hz]";
        }
    }

    /** One scored recording: its window probabilities and final verdict. */
    public record RecordingResult(String name, String label, float[][] windowProbabilities, RecordingVerdict verdict) {
        @Override
        public boolean equals(Object o) {
            return o instanceof RecordingResult r && name.equals(r.name) && label.equals(r.label)
                    && Arrays.deepEquals(windowProbabilities, r.windowProbabilities) && verdict.equals(r.verdict);
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, label, verdict) * 31 + Arrays.deepHashCode(windowProbabilities);
        }

        @Override
        public String toString() {
            return "RecordingResult[" + name + ", " + label + ", " + verdict + "]";
        }
    }

    /** A recording that could not be scored, with the reason. */
    public record Skipped(String name, String reason) {
    }

    /** The whole evaluation. */
    public record Report(String modelId, String modelSha256, ScreeningMetrics metrics, List<RecordingResult> recordings,
            List<Skipped> skipped) {
        public Report {
            recordings = List.copyOf(recordings);
            skipped = List.copyOf(skipped);
        }

        /** One JSON object: every {@link ScreeningMetrics} key at the top level, then per-recording rows. */
        public String toJson() {
            ObjectNode root = JsonCodec.mapper().valueToTree(metrics);
            root.put("model", modelId);
            root.put("model_sha256", modelSha256);
            ArrayNode rows = root.putArray("per_recording");
            for (RecordingResult r : recordings) {
                ObjectNode o = rows.addObject();
                o.put("name", r.name()).put("label", r.label()).put("verdict", r.verdict().verdict())
                        .put("confidence", r.verdict().confidence()).put("windows", r.verdict().windows());
                ArrayNode mean = o.putArray("mean_probabilities");
                for (double p : r.verdict().meanProbabilities()) {
                    mean.add(p);
                }
            }
            ArrayNode sk = root.putArray("skipped");
            skipped.forEach(s -> sk.addObject().put("name", s.name()).put("reason", s.reason()));
            return JsonCodec.toJson(root);
        }

        /** A human-readable summary for the CLI. */
        public String toText() {
            ScreeningMetrics m = metrics;
            StringBuilder b = new StringBuilder();
            b.append(String.format(Locale.ROOT, "model %s (sha256 %s)%n", modelId, modelSha256));
            b.append(String.format(Locale.ROOT, "%d recordings, %d windows, %d skipped%n", m.recordings(), m.windows(), skipped.size()));
            b.append(String.format(Locale.ROOT, "ALS vs normal          %12s %12s%n", "per window", "per recording"));
            b.append(row("accuracy", m.windowAccuracy(), m.recordingAccuracy()));
            b.append(row("sensitivity", m.windowSensitivity(), m.sensitivity()));
            b.append(row("specificity", m.windowSpecificity(), m.specificity()));
            b.append(row("balanced accuracy", m.windowBalancedAccuracy(), m.balancedAccuracy()));
            b.append(String.format(Locale.ROOT, "3-class macro-F1       %12.4f %12.4f%n", m.windowMacroF1(), m.macroF1()));
            for (Skipped s : skipped) {
                b.append("skipped ").append(s.name()).append(": ").append(s.reason()).append(System.lineSeparator());
            }
            return b.toString();
        }

        private static String row(String name, double window, double recording) {
            return String.format(Locale.ROOT, "%-22s %11.2f%% %11.2f%%%n", name, 100 * window, 100 * recording);
        }
    }

    /** Scores every recording with {@code model} and returns the report (recordings in the given order). */
    public static Report evaluate(EmgScreeningModel model, List<LabelledRecording> recordings) {
        List<RecordingResult> results = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        for (LabelledRecording rec : recordings) {
            if (Math.abs(rec.sampleRateHz() - model.sampleRateHz()) > 1e-6 * model.sampleRateHz()) {
                skip(skipped, rec, "sample rate " + rec.sampleRateHz() + " Hz, model " + model.id() + " needs " + model.sampleRateHz() + " Hz");
                continue;
            }
            float[][] windows = model.windowsOf(rec.samples());
            if (windows.length == 0) {
                skip(skipped, rec, rec.samples().length + " samples, shorter than one window of " + model.windowSamples());
                continue;
            }
            float[][] probs = new float[windows.length][];
            for (int start = 0; start < windows.length; start += BATCH) {
                int end = Math.min(windows.length, start + BATCH);
                float[][] batch = Arrays.copyOfRange(windows, start, end);
                System.arraycopy(model.score(batch), 0, probs, start, end - start);
            }
            RecordingAggregator agg = new RecordingAggregator(rec.name(), model.classes());
            for (float[] p : probs) {
                agg.add(p);
            }
            results.add(new RecordingResult(rec.name(), rec.label(), probs, agg.finish()));
        }
        ScreeningMetrics metrics = ScreeningMetrics.compute(results.stream().map(RecordingResult::windowProbabilities).toList(),
                results.stream().map(r -> EmgClasses.index(r.label())).toList());
        return new Report(model.id(), model.sha256(), metrics, results, skipped);
    }

    private static void skip(List<Skipped> skipped, LabelledRecording rec, String reason) {
        LOG.warn("EMG evaluation skips recording {}: {}", rec.name(), reason);
        skipped.add(new Skipped(rec.name(), reason));
    }
}
