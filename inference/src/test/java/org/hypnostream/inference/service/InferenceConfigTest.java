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
        assertThat(c.modelDir()).isEqualTo(Path.of("models"));
        assertThat(c.transactionalId()).isEqualTo("hypnostream-inference-inference-1");
        assertThat(r.describe()).contains("`inference.lookback.epochs` | `HYPNOSTREAM_INFERENCE_LOOKBACK_EPOCHS`");
    }

    @Test
    void everyProblemIsReported() {
        ConfigReader r = ConfigReader.of(Map.of("inference.batch.size", "0", "inference.device", "tpu",
                "inference.instance.id", "a b"));
        InferenceConfig.fromEnvironment(r);
        assertThatThrownBy(r::validate).isInstanceOf(ConfigException.class)
                .hasMessageContaining("inference.batch.size=0").hasMessageContaining("inference.device=tpu")
                .hasMessageContaining("inference.instance.id 'a b'");
    }
}
