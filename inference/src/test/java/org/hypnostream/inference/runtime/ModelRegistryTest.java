package org.hypnostream.inference.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.function.Consumer;
import org.hypnostream.common.event.JsonCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelRegistryTest {
    static final Path GOOD = Path.of("src/test/resources/models/good");
    static final Providers.Selection CPU = new Providers.Selection(Providers.Device.CPU, Providers.CPU, "test");

    @TempDir
    Path tmp;

    @Test
    void loadsEveryCardOfTheFolderOnCpu() {
        try (ModelRegistry r = ModelRegistry.load(GOOD, CPU)) {
            assertThat(r.models()).extracting(LoadedModel::id).containsExactly("linear-stager-test", "raw-conv-test");
            assertThat(r.models()).allSatisfy(m -> assertThat(m.provider()).isEqualTo("CPU"));
            assertThat(r.require("linear-stager-test").card().outputClasses()).containsExactly("W", "N1", "N2", "N3", "REM");
            assertThat(r.firstForTask(ModelCard.TASK_STAGING)).isPresent();
            assertThatThrownBy(() -> r.require("nope")).hasMessageContaining("no model nope");
        }
    }

    @Test
    void refusesACardWhoseWidthDisagreesWithTheGraph() {
        assertThatThrownBy(() -> ModelRegistry.load(Path.of("src/test/resources/models/bad-width"), CPU))
                .isInstanceOf(ModelRefusedException.class)
                .hasMessageContaining("model linear-stager-test")
                .hasMessageContaining("input 'features' dimension 1: card 104, graph 105");
    }

    @Test
    void refusesAWrongInputName() throws IOException {
        Path dir = copyWithCard(c -> ((ObjectNode) c.get("inputs").get(0)).put("name", "x"));
        assertThatThrownBy(() -> ModelRegistry.load(dir, CPU))
                .isInstanceOf(ModelRefusedException.class)
                .hasMessageContaining("model linear-stager-test")
                .hasMessageContaining("input names differ: card [x], graph [features]");
    }

    @Test
    void refusesAWrongOutputRank() throws IOException {
        Path dir = copyWithCard(c -> ((ObjectNode) c.get("outputs").get(0)).putArray("shape").add(-1).add(5).add(1));
        assertThatThrownBy(() -> ModelRegistry.load(dir, CPU))
                .hasMessageContaining("output 'probabilities' rank: card [-1, 5, 1], graph [-1, 5]");
    }

    @Test
    void refusesAWrongSha256() throws IOException {
        Path dir = copyWithCard(c -> c.put("sha256", "00".repeat(32)));
        assertThatThrownBy(() -> ModelRegistry.load(dir, CPU))
                .isInstanceOf(ModelRefusedException.class)
                .hasMessageContaining("model linear-stager-test")
                .hasMessageContaining("sha256 mismatch: card says " + "00".repeat(32))
                .hasMessageContaining("3882f0842e76f0421979162d2beab8d3f19b9b3c9d1d264de9805106a41f9ec7");
    }

    @Test
    void refusesAMissingFileAndAnEscapingFileName() throws IOException {
        Path dir = copyWithCard(c -> c.put("onnx", "../linear-stager-test.onnx"));
        assertThatThrownBy(() -> ModelRegistry.load(dir, CPU)).hasMessageContaining("must be a plain file name");
        Path dir2 = copyWithCard(c -> c.put("onnx", "absent.onnx"));
        assertThatThrownBy(() -> ModelRegistry.load(dir2, CPU)).hasMessageContaining("absent.onnx not found");
        assertThatThrownBy(() -> ModelRegistry.load(tmp.resolve("none"), CPU)).hasMessageContaining("does not exist");
    }

    @Test
    void refusesAnUnreadableCard() throws IOException {
        Path dir = copyWithCard(c -> { });
        Files.writeString(dir.resolve("broken.model.json"), "{ not json");
        assertThatThrownBy(() -> ModelRegistry.load(dir, CPU)).hasMessageContaining("broken.model.json: unreadable model card");
    }

    private Path copyWithCard(Consumer<ObjectNode> edit) throws IOException {
        Path dir = Files.createTempDirectory(tmp, "models");
        Files.copy(GOOD.resolve("linear-stager-test.onnx"), dir.resolve("linear-stager-test.onnx"));
        ObjectNode card = (ObjectNode) JsonCodec.mapper().readTree(GOOD.resolve("linear-stager-test.model.json").toFile());
        edit.accept(card);
        Files.write(dir.resolve("linear-stager-test.model.json"), JsonCodec.mapper().writeValueAsBytes(card));
        assertThat(Set.of(dir.toFile().list())).contains("linear-stager-test.onnx");
        return dir;
    }
}
