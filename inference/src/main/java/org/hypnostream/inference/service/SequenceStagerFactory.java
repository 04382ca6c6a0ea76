package org.hypnostream.inference.service;

import ai.onnxruntime.OrtEnvironment;
import org.hypnostream.inference.features.SleepEdfFeatures;
import org.hypnostream.inference.runtime.LoadedModel;
import org.hypnostream.inference.runtime.ModelCard;
import org.hypnostream.inference.stage.SequenceStager;
import org.hypnostream.inference.stage.StageScorer;

/**
 * Builds stager v3 ({@link SequenceStager}, live scoring only: its revised graph is for the morning re-score) for
 * cards of recipe sleep-edf-sc-35x3 with a gru-window causal context.
 */
public final class SequenceStagerFactory implements StageScorerFactory {
    @Override
    public boolean supports(LoadedModel model) {
        return ModelCard.TASK_STAGING.equals(model.card().task())
                && SleepEdfFeatures.ID.equals(model.card().featureRecipe())
                && model.card().causalContext() != null
                && SequenceStager.TYPE.equals(model.card().causalContext().path("type").asText());
    }

    @Override
    public StageScorer create(LoadedModel model) {
        return new SequenceStager(model.card(), OrtEnvironment.getEnvironment(), model.session(), model.provider(),
                null);
    }
}
