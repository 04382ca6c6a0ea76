package org.hypnostream.inference.service;

import ai.onnxruntime.OrtEnvironment;
import org.hypnostream.inference.runtime.LoadedModel;
import org.hypnostream.inference.stage.RawEpochStager;
import org.hypnostream.inference.stage.StageScorer;

/**
 * Builds the raw-waveform stager ({@link RawEpochStager}, training/stager_raw) for sleep-staging cards without a
 * feature recipe whose one input is a window of epochs {@code [-1, K, channels, samples]}.
 */
public final class RawStagerFactory implements StageScorerFactory {
    @Override
    public boolean supports(LoadedModel model) {
        return RawEpochStager.cardProblem(model.card()) == null;
    }

    @Override
    public StageScorer create(LoadedModel model) {
        return new RawEpochStager(model.card(), OrtEnvironment.getEnvironment(), model.session(), model.provider());
    }
}
