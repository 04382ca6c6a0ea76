package org.hypnostream.inference.runtime;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A model whose card and graph agree: its card, the checked ONNX file, an open session and the execution provider
 * ("CPU" or "CUDA") the session runs on. Closing it closes the session.
 */
public record LoadedModel(ModelCard card, Path onnxFile, OrtSession session, String provider) implements AutoCloseable {
    public LoadedModel {
        Objects.requireNonNull(card, "card");
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(provider, "provider");
    }

    public String id() {
        return card.id();
    }

    public String sha256() {
        return card.sha256();
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("cannot close session of model " + card.id(), e);
        }
    }
}
