package org.hypnostream.inference.stage;

import java.util.List;

/**
 * A stager that scores precomputed model rows (the evaluation path, bypassing feature extraction): {@link
 * CausalStager} (v1/v2) and {@link SequenceStager} (v3).
 */
public interface FeatureRowScorer {
    String modelId();

    String modelSha256();

    String provider();

    StageScorer.BedState newState();

    /** Width of a row: the 105 features, then the 15 relative Welch powers when {@link #usesWelch()}. */
    int rowWidth();

    boolean usesWelch();

    /** Scores consecutive epochs of one bed ({@code firstIndex, firstIndex + 1, ...}) from precomputed rows. */
    List<StageResult> scoreFeatureSequence(StageScorer.BedState state, long firstIndex, float[][] rows,
            String missingReason);

    /**
     * The NON-causal morning re-score of a finished stretch (never live stages), when the model has one.
     *
     * @throws UnsupportedOperationException when it has none
     */
    default List<StageResult> reviseFeatureSequence(float[][] rows, String missingReason) {
        throw new UnsupportedOperationException("model " + modelId() + " has no morning re-score");
    }
}
