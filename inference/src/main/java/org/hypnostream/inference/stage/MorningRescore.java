package org.hypnostream.inference.stage;

/**
 * The morning re-score (two-speed hypnogram): a NON-causal re-score of a finished stretch from the sequence stager's
 * causal graph's probabilities {@code p} and its re-score graph's {@code pb} (a bidirectional GRU over the epoch's
 * centred window of present epochs). Never used for live stages or alarms. Mirrors training/stager/sequence.py
 * {@code Chain.revised} operation by operation.
 *
 * <p>Present epoch: {@code r = normalise(max(pb, floor) (max(p, floor) / class_prior)^revised_mix)}; with
 * {@code revised_exponent}
 * {@code wr > 0} a forward-backward pass over the present epochs with emissions {@code (max(r, floor) /
 * class_prior)^wr}, else {@code r} itself. An absent epoch keeps its live prediction ({@link SequenceChain}: the last
 * present epoch's live posterior and its own Welch powers): in the shared data the epoch after an absent one is
 * systematically another stage (an artefact of the extraction), so evidence from the right would be misleading there
 * and cannot be validated. Absent epochs are never folded into the present epochs' posteriors, so inserting or
 * removing them changes none of those.
 */
final class MorningRescore {
    private static final int K = SequenceChain.K;
    private final SequenceChain chain;

    MorningRescore(SequenceChain chain) {
        this.chain = chain;
    }

    /**
     * @param probabilities per epoch of the stretch in time order: the causal graph's probabilities of a present
     *        epoch, null for an absent one
     * @param back per epoch: the re-score graph's probabilities of a present epoch (null where absent)
     * @param welchProbabilities per epoch: the Welch-only probabilities of an absent epoch, or null (no emission)
     * @return the revised posterior of every epoch (5 values each; null for an absent epoch before any present one)
     */
    double[][] revise(float[][] probabilities, float[][] back, float[][] welchProbabilities) {
        int n = probabilities.length;
        if (welchProbabilities.length != n || back.length != n) {
            throw new IllegalArgumentException(n + " epochs but " + back.length + " revised and "
                    + welchProbabilities.length + " Welch rows");
        }
        double wr = chain.revisedExponent;
        int[] idx = new int[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (probabilities[i] != null) {
                idx[m++] = i;
            }
        }
        double[][] r = new double[m][];
        double[][] e = new double[m][];
        for (int k = 0; k < m; k++) {
            r[k] = new double[K];
            e[k] = new double[K];
            for (int j = 0; j < K; j++) {
                r[k][j] = Math.max(back[idx[k]][j], chain.floor) * Math.pow(
                        Math.max(probabilities[idx[k]][j], chain.floor) / chain.classPrior[j], chain.revisedMix);
            }
            SequenceChain.normalise(r[k]);
            for (int j = 0; j < K; j++) {
                double x = Math.max(r[k][j], chain.floor) / chain.classPrior[j];
                e[k][j] = wr > 0 ? Math.pow(x, wr) : x;
            }
        }
        double[][] fwd = new double[m][];
        double[] a = null;
        for (int k = 0; k < m; k++) {
            double[] q;
            if (wr > 0) {
                q = chain.predict(a);
                for (int j = 0; j < K; j++) {
                    q[j] *= e[k][j];
                }
            } else {
                q = new double[K];
                for (int j = 0; j < K; j++) {
                    q[j] = Math.max(r[k][j], chain.floor);
                }
            }
            a = SequenceChain.normalise(q);
            fwd[k] = a;
        }
        double[][] bwd = new double[m][];
        double[] b = {1, 1, 1, 1, 1};
        for (int k = m - 1; k >= 0; k--) {
            bwd[k] = b;
            if (k > 0 && wr > 0) {
                b = SequenceChain.normalise(towardNext(e[k], b));
            }
        }
        double[][] post = new double[n][];
        for (int k = 0; k < m; k++) {
            double[] g = new double[K];
            for (int j = 0; j < K; j++) {
                g[j] = fwd[k][j] * bwd[k][j];
            }
            post[idx[k]] = SequenceChain.normalise(g);
        }
        // an absent epoch keeps its live prediction (see the class comment); null when no present epoch came before
        double[] alpha = null;
        for (int i = 0; i < n; i++) {
            if (probabilities[i] != null) {
                alpha = chain.present(alpha, probabilities[i]);
            } else {
                post[i] = alpha == null ? null : chain.absent(alpha, welchProbabilities[i]);
            }
        }
        return post;
    }

    /** T (e * b): the evidence from the next present epoch onwards, per state of this one. */
    private double[] towardNext(double[] e, double[] b) {
        double[] out = new double[K];
        for (int s = 0; s < K; s++) {
            for (int u = 0; u < K; u++) {
                out[s] += chain.transition[s][u] * e[u] * b[u];
            }
        }
        return out;
    }
}
