package org.hypnostream.inference.stage;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.file.Path;
import org.hypnostream.inference.runtime.ModelCard;

/** The shipped stager (models/stager-features-hmm-v1.*) on CPU, shared by the tests of this package. */
final class StagerFixtures {
    private static CausalStager stager;

    private StagerFixtures() {
    }

    static synchronized CausalStager stager() throws IOException, OrtException {
        if (stager == null) {
            Path cardFile = StagerEvaluation.defaultCard();
            ModelCard card = StagerEvaluation.readCard(cardFile);
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            OrtSession session = env.createSession(StagerEvaluation.onnxFile(cardFile, card).toString(),
                    new OrtSession.SessionOptions());
            stager = new CausalStager(card, env, session, "CPU");
        }
        return stager;
    }
}
