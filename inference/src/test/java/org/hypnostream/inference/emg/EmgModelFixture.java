package org.hypnostream.inference.emg;

import java.nio.file.Path;
import org.hypnostream.common.config.ModelsFolder;

/** Where the shipped model card lives ({@link ModelsFolder}'s rule; tests run in the module folder). */
final class EmgModelFixture {
    private EmgModelFixture() {
    }

    static Path card() {
        return ModelsFolder.resolve().resolve("emg-alsnet-v2.model.json");
    }
}
