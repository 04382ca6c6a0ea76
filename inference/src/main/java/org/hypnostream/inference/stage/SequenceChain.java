package org.hypnostream.inference.stage;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The causal chain of the sequence stager ({@code causal_context.type = gru-window}): what turns the graph's
 * per-epoch probabilities into live posteriors. It advances only at present epochs (the leak rule: an absent epoch
 * changes nothing a later epoch reads). Mirrors training/stager/sequence.py {@code Chain.live} operation by operation.
 * <ul>
 * <li>present epoch: {@code alpha = normalise(max(p, floor))} when the card's {@code hmm_exponent} is 0 (no HMM on
 * top), else {@code normalise(predict(alpha) * (max(p, floor) / class_prior)^hmm_exponent)};</li>
 * <li>absent epoch: {@code normalise(normalise(predict(alpha) * (max(pw, floor) / welch_prior)^welch_exponent)
 * ^(1 / absent_temperature))}, where {@code pw} is the graph's Welch-only probability (or no emission when there is
 * none), and alpha is left unchanged.</li>
 * </ul>
 */
final class SequenceChain {
    static final int K = 5;
    final double[][] transition;
    final double[] initial;
    final double[] classPrior;
    final double[] welchPrior;
    final double hmmExponent;
    final double welchExponent;
    final double absentTemperature;
    final double revisedExponent;
    final double revisedMix;
    final double floor;

    SequenceChain(double[][] transition, double[] initial, double[] classPrior, double[] welchPrior, double hmmExponent,
            double welchExponent, double absentTemperature, double revisedExponent, double revisedMix, double floor) {
        if (transition.length != K || initial.length != K || classPrior.length != K || welchPrior.length != K) {
            throw new IllegalArgumentException("the chain needs 5 states");
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
            if (!(classPrior[i] > 0) || !(welchPrior[i] > 0) || !(initial[i] >= 0)) {
                throw new IllegalArgumentException("class priors / initial of state " + i + " must be positive");
            }
        }
        if (!(hmmExponent >= 0) || !(welchExponent >= 0) || !(revisedExponent >= 0) || !(revisedMix >= 0)
                || !(floor > 0) || !(absentTemperature > 0)) {
            throw new IllegalArgumentException("exponents must be >= 0, the probability floor and the absent-epoch "
                    + "temperature > 0");
        }
        this.transition = transition;
        this.initial = initial;
        this.classPrior = classPrior;
        this.welchPrior = welchPrior;
        this.hmmExponent = hmmExponent;
        this.welchExponent = welchExponent;
        this.absentTemperature = absentTemperature;
        this.revisedExponent = revisedExponent;
        this.revisedMix = revisedMix;
        this.floor = floor;
    }

    static SequenceChain fromCard(JsonNode ctx, String modelId) {
        try {
            double[][] t = new double[K][];
            for (int i = 0; i < K; i++) {
                t[i] = Forward.vector(ctx.path("transition").path(i));
            }
            return new SequenceChain(t, Forward.vector(ctx.path("initial")), Forward.vector(ctx.path("class_prior")),
                    Forward.vector(ctx.path("welch_prior")), ctx.path("hmm_exponent").asDouble(Double.NaN),
                    ctx.path("welch_exponent").asDouble(Double.NaN), ctx.path("absent_temperature").asDouble(Double.NaN),
                    ctx.path("revised_exponent").asDouble(Double.NaN),
                    ctx.path("revised_mix").asDouble(Double.NaN), ctx.path("prob_floor").asDouble(Double.NaN));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model " + modelId + ": bad causal_context: " + e.getMessage(), e);
        }
    }

    /** The distribution of the next epoch given alpha (the initial one when alpha is null). */
    double[] predict(double[] alpha) {
        return Forward.predict(transition, initial, alpha);
    }

    /** Posterior of a present epoch with graph probabilities {@code p}; the new alpha. */
    double[] present(double[] alpha, float[] p) {
        double[] q = new double[K];
        if (hmmExponent == 0) {
            for (int j = 0; j < K; j++) {
                q[j] = Math.max(p[j], floor);
            }
            return normalise(q);
        }
        double[] prior = predict(alpha);
        for (int j = 0; j < K; j++) {
            q[j] = prior[j] * Math.pow(Math.max(p[j], floor) / classPrior[j], hmmExponent);
        }
        return normalise(q);
    }

    /** Prediction of an absent epoch from the last present epoch's alpha (and its Welch-only probabilities if any). */
    double[] absent(double[] alpha, float[] welchProbabilities) {
        double[] q = predict(alpha);
        if (welchProbabilities != null) {
            for (int j = 0; j < K; j++) {
                q[j] *= Math.pow(Math.max(welchProbabilities[j], floor) / welchPrior[j], welchExponent);
            }
        }
        normalise(q);
        for (int j = 0; j < K; j++) {
            q[j] = Math.pow(q[j], 1.0 / absentTemperature);
        }
        return normalise(q);
    }

    static double[] normalise(double[] v) {
        return Forward.normalise(v);
    }
}
