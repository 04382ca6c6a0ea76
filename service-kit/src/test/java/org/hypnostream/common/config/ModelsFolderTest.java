package org.hypnostream.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelsFolderTest {
    private static final Map<String, String> ENV = Map.of("HYPNOSTREAM_MODELS_DIR", "/from/env");
    private static final Map<String, String> SYSTEM = Map.of("models.dir", "/from/system");
    private static final Map<String, String> EXPLICIT = Map.of("models.dir", "/from/option");

    @TempDir
    Path tmp;

    private static Path read(Map<String, String> env, Map<String, String> system, Map<String, String> explicit,
            Path workingDir) {
        ConfigReader r = ConfigReader.layered(env, system::get, explicit);
        Path p = ModelsFolder.read(r, workingDir);
        r.validate();
        return p;
    }

    /** A checkout: root/models with a card, root/inference as a module's working directory. */
    private Path checkout() throws IOException {
        Path models = Files.createDirectories(tmp.resolve("root/models"));
        Files.writeString(models.resolve("m.model.json"), "{}");
        return Files.createDirectories(tmp.resolve("root/inference/target"));
    }

    @Test
    void explicitThenSystemPropertyThenEnvironmentThenSearch() throws IOException {
        Path module = checkout();
        assertThat(read(ENV, SYSTEM, EXPLICIT, module)).isEqualTo(Path.of("/from/option"));
        assertThat(read(ENV, SYSTEM, Map.of(), module)).isEqualTo(Path.of("/from/system"));
        assertThat(read(ENV, Map.of(), Map.of(), module)).isEqualTo(Path.of("/from/env"));
        assertThat(read(Map.of(), Map.of(), Map.of(), module)).isEqualTo(tmp.resolve("root/models"));
    }

    @Test
    void searchTakesTheNearestModelsFolderThatHoldsACard() throws IOException {
        Path module = checkout();
        // a models/ without a card (e.g. a Java package folder) is passed over
        Files.createDirectories(module.resolve("models"));
        assertThat(ModelsFolder.search(module)).contains(tmp.resolve("root/models"));
        Path nearer = Files.createDirectories(tmp.resolve("root/inference/models"));
        Files.writeString(nearer.resolve("x.model.json"), "{}");
        assertThat(ModelsFolder.search(module)).contains(nearer);
    }

    @Test
    void noFolderIsARefusalNamingTheKeyAndTheVariable() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("nothing/here"));
        assertThat(ModelsFolder.search(empty)).as("no models/ with a card above %s", empty).isEmpty();
        assertThatThrownBy(() -> read(Map.of(), Map.of(), Map.of(), empty)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("models.dir").hasMessageContaining("HYPNOSTREAM_MODELS_DIR");
    }

    @Test
    void blankValuesFallThrough() throws IOException {
        Path module = checkout();
        assertThat(read(Map.of("HYPNOSTREAM_MODELS_DIR", " "), Map.of(), Map.of("models.dir", ""), module))
                .isEqualTo(tmp.resolve("root/models"));
    }

    @Test
    void theKeyIsDocumentedWithWhatStandsIn() {
        ConfigReader r = ConfigReader.of(Map.of("models.dir", "/m"));
        ModelsFolder.read(r, tmp);
        assertThat(r.describe()).contains("`models.dir` | `HYPNOSTREAM_MODELS_DIR` | `models/ with a *.model.json in the"
                + " working directory or a parent`");
    }
}
