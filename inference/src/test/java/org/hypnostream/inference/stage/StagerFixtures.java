package org.hypnostream.inference.stage;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.file.Path;
import org.hypnostream.inference.runtime.ModelCard;

/** The v2 HMM stager (stager-features-welch-hmm-v2, still shipped) on CPU, shared by the tests of this package. */
final class StagerFixtures {
    static final String MODEL = "stager-features-welch-hmm-v2";
    private static CausalStager stager;

    private StagerFixtures() {
    }

    /** The v2 card in the models folder. */
    static Path cardFile() {
        return StagerEvaluation.defaultCard().resolveSibling(MODEL + ".model.json");
    }

    static synchronized CausalStager stager() throws IOException, OrtException {
        if (stager == null) {
            Path cardFile = cardFile();
            ModelCard card = StagerEvaluation.readCard(cardFile);
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            OrtSession session = env.createSession(StagerEvaluation.onnxFile(cardFile, card).toString(),
                    new OrtSession.SessionOptions());
            stager = new CausalStager(card, env, session, "CPU");
        }
        return stager;
    }

    /**
     * The model row of a golden.json row: its 105 features, then its 15 welch_rel values when the model takes them;
     * null for an absent-feature epoch.
     */
    static float[] row(com.fasterxml.jackson.databind.JsonNode r) throws IOException, OrtException {
        if (r.get("features").isNull()) {
            return null;
        }
        CausalStager s = stager();
        float[] f = new float[s.rowWidth()];
        for (int j = 0; j < 105; j++) {
            f[j] = (float) r.get("features").get(j).asDouble();
        }
        for (int j = 105; j < f.length; j++) {
            f[j] = (float) r.get("welch").get(j - 105).asDouble();
        }
        return f;
    }
}
