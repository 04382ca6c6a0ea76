package org.hypnostream.inference.emg;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the shipped model card lives, seen from the inference module (tests run in the module folder). */
final class EmgModelFixture {
    private EmgModelFixture() {
    }

    static Path card() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path c = d.resolve("models").resolve("emg-alsnet-v2.model.json");
            if (Files.exists(c)) {
                return c;
            }
        }
        throw new IllegalStateException("models/emg-alsnet-v2.model.json not found above " + Path.of("").toAbsolutePath());
    }
}
