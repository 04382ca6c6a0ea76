package org.hypnostream.inference.stage;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import org.hypnostream.common.event.JsonCodec;
import org.hypnostream.inference.runtime.ModelCard;

/** Stager v3 ({@link SequenceStager}, with its revised graph) on CPU and its golden vectors, shared by the tests. */
final class SequenceFixtures {
    static final String MODEL = "stager-features-welch-gru-v3";
    private static SequenceStager stager;
    private static JsonNode golden;

    private SequenceFixtures() {
    }

    static Path cardFile() {
        return StagerEvaluation.defaultCard().resolveSibling(MODEL + ".model.json");
    }

    static synchronized SequenceStager stager() throws IOException, OrtException {
        if (stager == null) {
            Path cardFile = cardFile();
            ModelCard card = StagerEvaluation.readCard(cardFile);
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            OrtSession session = env.createSession(StagerEvaluation.onnxFile(cardFile, card).toString(),
                    new OrtSession.SessionOptions());
            OrtSession revised = env.createSession(StagerEvaluation.revisedOnnxFile(cardFile, card).toString(),
                    new OrtSession.SessionOptions());
            stager = new SequenceStager(card, env, session, "CPU", revised);
        }
        return stager;
    }

    /** golden-v3.json written by training/stager/export_seq.py. */
    static synchronized JsonNode golden() throws IOException {
        if (golden == null) {
            try (InputStream in = SequenceFixtures.class.getResourceAsStream("/stager/golden-v3.json")) {
                golden = JsonCodec.mapper().readTree(in);
            }
        }
        return golden;
    }

    /** A golden row's model row: 105 features (NaN when absent) then its 15 welch_rel values. */
    static float[] row(JsonNode r) {
        float[] f = new float[120];
        for (int j = 0; j < 105; j++) {
            f[j] = r.get("features").isNull() ? Float.NaN : (float) r.get("features").get(j).asDouble();
        }
        for (int j = 105; j < 120; j++) {
            f[j] = (float) r.get("welch").get(j - 105).asDouble();
        }
        return f;
    }

    static float[][] rows() throws IOException {
        JsonNode rows = golden().get("rows");
        float[][] out = new float[rows.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = row(rows.get(i));
        }
        return out;
    }

    static boolean present(float[] row) {
        return row != null && Float.isFinite(row[0]) && !Float.isNaN(row[104]);
    }
}
