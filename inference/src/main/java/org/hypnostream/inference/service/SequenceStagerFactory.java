package org.hypnostream.inference.service;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.hypnostream.inference.features.SleepEdfFeatures;
import org.hypnostream.inference.runtime.LoadedModel;
import org.hypnostream.inference.runtime.ModelCard;
import org.hypnostream.inference.stage.SequenceStager;
import org.hypnostream.inference.stage.StageScorer;
import org.hypnostream.inference.stage.StagerEvaluation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds stager v3 ({@link SequenceStager}) for cards of recipe sleep-edf-sc-35x3 with a gru-window causal context.
 * When the card names its revised graph ({@code causal_context.revised}, sha256 checked) that graph is loaded too (on
 * CPU: it runs once per night) for the morning re-score lane ({@link RevisedLane}); live scoring never uses it and
 * starts without it when it is missing or refused (logged).
 */
public final class SequenceStagerFactory implements StageScorerFactory {
    private static final Logger LOG = LoggerFactory.getLogger(SequenceStagerFactory.class);

    @Override
    public boolean supports(LoadedModel model) {
        return ModelCard.TASK_STAGING.equals(model.card().task())
                && SleepEdfFeatures.ID.equals(model.card().featureRecipe())
                && model.card().causalContext() != null
                && SequenceStager.TYPE.equals(model.card().causalContext().path("type").asText());
    }

    @Override
    public StageScorer create(LoadedModel model) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        return new SequenceStager(model.card(), env, model.session(), model.provider(), revisedSession(model, env));
    }

    /**
     * The revised graph's session, or null when the card names none, or its file is missing or refused (sha256,
     * unreadable): logged, and live scoring starts without the morning re-score rather than not at all.
     */
    private static OrtSession revisedSession(LoadedModel model, OrtEnvironment env) {
        if (model.card().causalContext().path("revised").isMissingNode()) {
            LOG.info("model {}: no revised graph, no morning re-score", model.id());
            return null;
        }
        Path cardFile = model.onnxFile().resolveSibling(model.id() + ".model.json");
        try {
            if (!Files.isRegularFile(cardFile)) {
                throw new IOException("card " + cardFile + " not found");
            }
            Path onnx = StagerEvaluation.revisedOnnxFile(cardFile, model.card());
            return env.createSession(onnx.toString(), new OrtSession.SessionOptions());
        } catch (IOException | OrtException e) {
            LOG.warn("model {}: revised graph not loaded ({}): live scoring only, NO morning re-score", model.id(),
                    e.toString());
            return null;
        }
    }
}
