package org.hypnostream.inference.features;

import org.hypnostream.common.wire.Epoch;

/** Turns one epoch into the feature vector a feature-based model was trained on (named in its model card). */
public interface FeatureRecipe {
    /** The recipe id used in model cards, e.g. "sleep-edf-sc-35x3". */
    String id();

    /** Length of the feature vector. */
    int width();

    /** Stager input channel labels this recipe expects, in order (e.g. Fpz-Cz, Pz-Oz, EOG). */
    java.util.List<String> channels();

    /** Computes the features; the caller has already checked the epoch's quality. */
    double[] compute(Epoch epoch);
}
