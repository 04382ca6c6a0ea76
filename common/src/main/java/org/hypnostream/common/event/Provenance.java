package org.hypnostream.common.event;

import java.util.Objects;

/**
 * Who produced an event: the model id and its sha256 (or a rule-set id for rule-based detectors, with a null
 * sha256) and the ONNX Runtime execution provider ("CPU", "CUDA", or "RULES").
 */
public record Provenance(String modelId, String modelSha256, String ruleSetId, String provider) {
    public Provenance {
        Objects.requireNonNull(provider, "provider");
        if (modelId == null && ruleSetId == null) {
            throw new IllegalArgumentException("an event needs a model id or a rule-set id");
        }
    }

    public static Provenance model(String id, String sha256, String provider) {
        return new Provenance(id, sha256, null, provider);
    }

    public static Provenance rules(String ruleSetId) {
        return new Provenance(null, null, ruleSetId, "RULES");
    }
}
