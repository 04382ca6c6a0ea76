package org.hypnostream.inference.stage;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The Markov-chain arithmetic {@link HmmFilter} and {@link SequenceChain} share, operation by operation as in
 * training: the prediction step, normalisation, and reading a card vector.
 */
final class Forward {
    private Forward() {
    }

    /** The distribution of the next epoch given alpha (a copy of {@code initial} when alpha is null). */
    static double[] predict(double[][] transition, double[] initial, double[] alpha) {
        if (alpha == null) {
            return initial.clone();
        }
        int k = initial.length;
        double[] prior = new double[k];
        for (int a = 0; a < k; a++) {
            for (int j = 0; j < k; j++) {
                prior[j] += alpha[a] * transition[a][j];
            }
        }
        return normalise(prior);
    }

    /** Divides {@code v} by its sum, in place; returns it. */
    static double[] normalise(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        for (int i = 0; i < v.length; i++) {
            v[i] /= s;
        }
        return v;
    }

    /** A card array as doubles (NaN where an entry is not a number). */
    static double[] vector(JsonNode n) {
        if (!n.isArray()) {
            throw new IllegalArgumentException("expected an array, got " + n);
        }
        double[] v = new double[n.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = n.get(i).asDouble(Double.NaN);
        }
        return v;
    }
}
