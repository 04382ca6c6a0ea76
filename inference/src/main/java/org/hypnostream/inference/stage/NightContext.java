package org.hypnostream.inference.stage;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The causal night context of the stager's graph ({@code causal_context.night_context} in the card): per span, the
 * running mean of the graph's standardised features over the bed's prior epochs that had features (cumulative for
 * the first {@code span} such epochs, then exponential with weight 1/span), concatenated. Mirrors
 * training/stager/model.py {@code contexts}.
 *
 * @param width standardised feature width; the context input is {@code width * spans.size()} wide
 */
record NightContext(String input, String fromOutput, int width, List<Integer> spans) {
    NightContext {
        spans = List.copyOf(spans);
        if (width <= 0 || spans.isEmpty() || spans.stream().anyMatch(s -> s <= 0) || input == null || input.isBlank()
                || fromOutput == null || fromOutput.isBlank()) {
            throw new IllegalArgumentException("night_context needs input, from_output, width > 0 and spans > 0");
        }
    }

    /** Null when the card has no night context (single-input graph). Accepts "spans": [..] or one "span". */
    static NightContext fromCard(JsonNode ctx) {
        JsonNode n = ctx == null ? null : ctx.get("night_context");
        if (n == null || n.isNull()) {
            return null;
        }
        List<Integer> spans = new ArrayList<>();
        if (n.has("spans")) {
            n.get("spans").forEach(s -> spans.add(s.asInt(-1)));
        } else {
            spans.add(n.path("span").asInt(-1));
        }
        return new NightContext(n.path("input").asText(null), n.path("from_output").asText(null),
                n.path("width").asInt(-1), spans);
    }

    int contextWidth() {
        return width * spans.size();
    }

    Running newRunning() {
        return new Running(this);
    }

    /** Per-bed running means. */
    static final class Running {
        private final NightContext spec;
        private final double[][] mean;
        private int count;

        private Running(NightContext spec) {
            this.spec = spec;
            this.mean = new double[spec.spans().size()][spec.width()];
        }

        int spanCount() {
            return mean.length;
        }

        /** Epochs with features folded in so far. */
        int count() {
            return count;
        }

        /** The running mean of span {@code k} (live array: the state codec reads and restores it). */
        double[] mean(int k) {
            return mean[k];
        }

        void restoreCount(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("night context count " + n + " < 0");
            }
            count = n;
        }

        /** The context input for the next epoch. */
        float[] snapshot() {
            float[] f = new float[spec.contextWidth()];
            for (int k = 0; k < mean.length; k++) {
                for (int i = 0; i < spec.width(); i++) {
                    f[k * spec.width() + i] = (float) mean[k][i];
                }
            }
            return f;
        }

        /** Folds in the standardised row of an epoch that had features. */
        void add(float[] z) {
            count++;
            for (int k = 0; k < mean.length; k++) {
                double a = Math.max(1.0 / count, 1.0 / spec.spans().get(k));
                for (int i = 0; i < spec.width(); i++) {
                    mean[k][i] = mean[k][i] + a * (z[i] - mean[k][i]);
                }
            }
        }
    }
}
