package org.hypnostream.inference.stage;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Causal HMM forward filter over the five stages, parameters from the model card's {@code causal_context}
 * ({@code type = hmm-forward}). Mirrors training/stager/model.py {@code Hmm.run} operation by operation.
 */
final class HmmFilter {
    static final int K = 5;
    private final double[][] transition;
    private final double[] initial;
    private final double[] classPrior;
    private final double exponent;
    private final double floor;

    HmmFilter(double[][] transition, double[] initial, double[] classPrior, double exponent, double floor) {
        if (transition.length != K || initial.length != K || classPrior.length != K) {
            throw new IllegalArgumentException("HMM needs 5 states");
        }
        for (int i = 0; i < K; i++) {
            if (transition[i].length != K) {
                throw new IllegalArgumentException("transition row " + i + " has " + transition[i].length + " entries");
            }
            for (int j = 0; j < K; j++) {
                if (!(transition[i][j] >= 0)) {
                    throw new IllegalArgumentException("transition[" + i + "][" + j + "] = " + transition[i][j]);
                }
            }
            if (!(classPrior[i] > 0) || !(initial[i] >= 0)) {
                throw new IllegalArgumentException("class prior / initial of state " + i + " must be positive");
            }
        }
        if (!(exponent > 0) || !(floor > 0)) {
            throw new IllegalArgumentException("emission exponent and probability floor must be positive");
        }
        this.transition = transition;
        this.initial = initial;
        this.classPrior = classPrior;
        this.exponent = exponent;
        this.floor = floor;
    }

    static HmmFilter fromCard(JsonNode ctx, String modelId) {
        if (ctx == null || !"hmm-forward".equals(ctx.path("type").asText())) {
            throw new IllegalArgumentException("model " + modelId + ": causal_context.type must be hmm-forward");
        }
        try {
            double[][] t = new double[K][];
            for (int i = 0; i < K; i++) {
                t[i] = Forward.vector(ctx.path("transition").path(i));
            }
            return new HmmFilter(t, Forward.vector(ctx.path("initial")), Forward.vector(ctx.path("class_prior")),
                    ctx.path("emission_exponent").asDouble(Double.NaN), ctx.path("prob_floor").asDouble(Double.NaN));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model " + modelId + ": bad causal_context: " + e.getMessage(), e);
        }
    }

    /** Prediction step: the distribution of the next epoch given alpha (or the initial one when alpha is null). */
    double[] predict(double[] alpha) {
        return Forward.predict(transition, initial, alpha);
    }

    /** Update step with the model's per-epoch probabilities. */
    double[] update(double[] prior, float[] probabilities) {
        double[] q = new double[K];
        for (int j = 0; j < K; j++) {
            double p = Math.max(probabilities[j], floor);
            q[j] = prior[j] * Math.pow(p / classPrior[j], exponent);
        }
        return Forward.normalise(q);
    }
}
