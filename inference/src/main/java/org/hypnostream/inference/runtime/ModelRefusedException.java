package org.hypnostream.inference.runtime;

import java.util.List;

/** One or more models were refused at load: each problem names the model (card file) and the mismatch. */
public final class ModelRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    public ModelRefusedException(List<String> problems) {
        super("model(s) refused:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
