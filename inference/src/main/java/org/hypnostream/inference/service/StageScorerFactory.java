package org.hypnostream.inference.service;

import org.hypnostream.inference.runtime.LoadedModel;
import org.hypnostream.inference.stage.StageScorer;

/**
 * Builds the stager for a loaded sleep-staging model. {@link InferenceMain} finds implementations with
 * {@link java.util.ServiceLoader} ({@code META-INF/services/org.hypnostream.inference.service.StageScorerFactory}).
 */
public interface StageScorerFactory {
    /** True if this factory can build a scorer for the model (e.g. matching feature recipe and causal context). */
    boolean supports(LoadedModel model);

    StageScorer create(LoadedModel model);
}
