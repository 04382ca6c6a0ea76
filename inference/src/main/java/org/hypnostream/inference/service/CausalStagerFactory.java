package org.hypnostream.inference.service;

import ai.onnxruntime.OrtEnvironment;
import org.hypnostream.inference.features.SleepEdfFeatures;
import org.hypnostream.inference.runtime.LoadedModel;
import org.hypnostream.inference.runtime.ModelCard;
import org.hypnostream.inference.stage.CausalStager;
import org.hypnostream.inference.stage.StageScorer;

/** Builds the shipped feature + HMM stager ({@link CausalStager}) for cards of recipe sleep-edf-sc-35x3 with an
 * hmm-forward causal context. */
public final class CausalStagerFactory implements StageScorerFactory {
    @Override
    public boolean supports(LoadedModel model) {
        return ModelCard.TASK_STAGING.equals(model.card().task())
                && SleepEdfFeatures.ID.equals(model.card().featureRecipe())
                && model.card().causalContext() != null
                && "hmm-forward".equals(model.card().causalContext().path("type").asText());
    }

    @Override
    public StageScorer create(LoadedModel model) {
        return new CausalStager(model.card(), OrtEnvironment.getEnvironment(), model.session(), model.provider());
    }
}
