package org.hypnostream.inference.emg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.hypnostream.common.event.JsonCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The exported graph in ONNX Runtime (Java) gives the training framework's probabilities on real raw windows. */
class EmgGoldenTest {
    private static EmgScreeningModel model;

    @BeforeAll
    static void load() {
        model = EmgScreeningModel.load(EmgModelFixture.card());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static float[] window(String resource) throws Exception {
        try (InputStream in = EmgGoldenTest.class.getResourceAsStream("/emg/" + resource)) {
            ByteBuffer bb = ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
            float[] w = new float[bb.remaining() / 4];
            bb.asFloatBuffer().get(w);
            return w;
        }
    }

    @Test
    void javaProbabilitiesEqualPythonWithin1e5() throws Exception {
        JsonNode golden;
        try (InputStream in = getClass().getResourceAsStream("/emg/golden.json")) {
            golden = JsonCodec.mapper().readTree(in);
        }
        assertThat(golden.get("model").asText()).isEqualTo(model.id());
        assertThat(golden.get("window_samples").asInt()).isEqualTo(model.windowSamples());
        JsonNode windows = golden.get("windows");
        assertThat(windows.size()).isGreaterThanOrEqualTo(3);
        float[][] batch = new float[windows.size()][];
        for (int i = 0; i < batch.length; i++) {
            batch[i] = window(windows.get(i).get("file").asText());
            assertThat(batch[i]).hasSize(model.windowSamples());
        }
        float[][] probs = model.score(batch);      // as one batch
        for (int i = 0; i < batch.length; i++) {
            float[] single = model.score(new float[][] {batch[i]})[0];      // and alone: batching changes nothing
            JsonNode want = windows.get(i).get("probabilities");
            for (int c = 0; c < 3; c++) {
                assertThat((double) probs[i][c]).as("window %d class %d", i, c).isCloseTo(want.get(c).asDouble(), within(1e-5));
                assertThat((double) single[c]).isCloseTo(want.get(c).asDouble(), within(1e-5));
            }
        }
    }

    @Test
    void cardDescribesTheGraph() {
        assertThat(model.card().task()).isEqualTo("neuromuscular-screening");
        assertThat(model.classes()).containsExactly("ALS", "myopathy", "normal");
        assertThat(model.sampleRateHz()).isEqualTo(23437.5);
        assertThat(model.card().windowSeconds()).isCloseTo(model.windowSamples() / 23437.5, within(1e-9));
        assertThat(model.card().evaluation().get("per_recording").get("recording_accuracy_als_vs_normal").isNumber()).isTrue();
    }
}
