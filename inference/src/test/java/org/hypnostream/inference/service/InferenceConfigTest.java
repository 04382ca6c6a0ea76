package org.hypnostream.inference.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.hypnostream.common.config.ConfigException;
import org.hypnostream.common.config.ConfigReader;
import org.junit.jupiter.api.Test;

class InferenceConfigTest {
    @Test
    void defaultsAndOverrides() {
        ConfigReader r = ConfigReader.of(Map.of("inference.batch.size", "16", "inference.device", "cpu"));
        InferenceConfig c = InferenceConfig.fromEnvironment(r);
        r.validate();
        assertThat(c.batchSize()).isEqualTo(16);
        assertThat(c.device()).isEqualTo("cpu");
        assertThat(c.batchWait()).isEqualTo(Duration.ofMillis(5));
        assertThat(c.unscoredAlertEpochs()).isEqualTo(3);
        assertThat(c.intraOpThreads()).isEqualTo(1);
        assertThat(c.lookBackEpochs()).isEqualTo(1200);
        // no models.dir: the checkout's models/ found from the module folder (ModelsFolder's rule)
        assertThat(c.modelDir().resolve("stager-features-welch-gru-v3.model.json")).isRegularFile();
        assertThat(InferenceConfig.fromEnvironment(ConfigReader.of(Map.of("models.dir", "/opt/m"))).modelDir())
                .isEqualTo(Path.of("/opt/m"));
        assertThat(c.transactionalId()).isEqualTo("hypnostream-inference-inference-1");
        assertThat(c.stagerModel()).isEqualTo("stager-features-welch-gru-v3");
        assertThat(r.describe()).contains("`inference.stager.model` | `HYPNOSTREAM_INFERENCE_STAGER_MODEL`");
        ConfigReader v2 = ConfigReader.of(Map.of("inference.stager.model", "stager-features-welch-hmm-v2"));
        assertThat(InferenceConfig.fromEnvironment(v2).stagerModel()).isEqualTo("stager-features-welch-hmm-v2");
        v2.validate();
        assertThat(c.withKafkaSettings(Map.of("a", "b")).stagerModel()).isEqualTo(c.stagerModel());
        assertThat(c.withStagerModel("x-1").withKafkaSettings(Map.of()).stagerModel()).isEqualTo("x-1");
        assertThat(r.describe()).contains("`inference.lookback.epochs` | `HYPNOSTREAM_INFERENCE_LOOKBACK_EPOCHS`");
    }

    @Test
    void everyProblemIsReported() {
        ConfigReader r = ConfigReader.of(Map.of("inference.batch.size", "0", "inference.device", "tpu",
                "inference.instance.id", "a b", "inference.stager.model", "../v3"));
        InferenceConfig.fromEnvironment(r);
        assertThatThrownBy(r::validate).isInstanceOf(ConfigException.class)
                .hasMessageContaining("inference.stager.model '../v3' is not a model id")
                .hasMessageContaining("inference.batch.size=0").hasMessageContaining("inference.device=tpu")
                .hasMessageContaining("inference.instance.id 'a b'");
    }
}
