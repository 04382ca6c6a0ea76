package org.hypnostream.inference.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OnnxModelTest {
    @Test
    void batchedRowsEqualSingleRowsAndBadBatchesAreRefused() {
        try (ModelRegistry r = ModelRegistry.load(ModelRegistryTest.GOOD, ModelRegistryTest.CPU)) {
            OnnxModel m = new OnnxModel(r.require("linear-stager-test"));
            float[][] batch = new float[3][105];
            for (int i = 0; i < 3; i++) {
                for (int k = 0; k < 105; k++) {
                    batch[i][k] = (float) Math.sin(i * 105 + k);
                }
            }
            float[][] all = m.run(batch);
            for (int i = 0; i < 3; i++) {
                float[] one = m.run(new float[][] {batch[i]})[0];
                for (int k = 0; k < 5; k++) {
                    assertThat(one[k]).isCloseTo(all[i][k], org.assertj.core.api.Assertions.within(1e-6f));
                }
            }
            assertThat(m.run(new float[0][])).isEmpty();
            assertThatThrownBy(() -> m.run(new float[][] {new float[105], new float[104]})).hasMessageContaining("ragged");
            assertThatThrownBy(() -> m.run(new float[][] {new float[104]}))
                    .hasMessageContaining("model linear-stager-test failed");
        }
    }
}
