package org.hypnostream.inference.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import org.hypnostream.common.event.JsonCodec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Java ONNX Runtime outputs equal the stored reference (numpy / PyTorch) outputs on stored inputs, within 1e-5. */
class GoldenTest {
    static final double TOLERANCE = 1e-5;

    @ParameterizedTest
    @CsvSource({"good,linear-stager-test", "good,raw-conv-test", "bench,mlp-stager-bench"})
    void javaOutputsEqualTheReference(String folder, String id) throws IOException {
        Path dir = Path.of("src/test/resources/models", folder);
        JsonNode golden = JsonCodec.mapper().readTree(dir.resolve(id + ".golden.json").toFile());
        try (ModelRegistry r = ModelRegistry.load(dir, ModelRegistryTest.CPU)) {
            OnnxModel model = new OnnxModel(r.require(id));
            JsonNode in = golden.get("inputs");
            float[][] out = in.get(0).get(0).isArray() ? model.run(JsonCodec.mapper().treeToValue(in, float[][][].class))
                    : model.run(JsonCodec.mapper().treeToValue(in, float[][].class));
            float[][] want = JsonCodec.mapper().treeToValue(golden.get("outputs"), float[][].class);
            assertThat(out.length).isEqualTo(want.length).isGreaterThan(0);
            for (int i = 0; i < want.length; i++) {
                assertThat(out[i]).hasSameSizeAs(want[i]);
                for (int k = 0; k < want[i].length; k++) {
                    assertThat((double) out[i][k]).as("%s row %d class %d", id, i, k).isCloseTo(want[i][k], within(TOLERANCE));
                }
            }
        }
    }
}
