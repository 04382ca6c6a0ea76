package org.hypnostream.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigReaderTest {

    @Test
    void reportsEveryProblemAtOnce() {
        ConfigReader r = ConfigReader.of(Map.of("beds", "zero", "speed", "-3", "device", "tpu"));
        r.intInRange("beds", 4, 1, 10_000, "number of beds");
        r.doubleInRange("speed", 1, 0.1, 1000, "replay speed");
        r.oneOf("device", "auto", Set.of("auto", "cpu", "cuda"), "execution provider");
        r.string("kafka.bootstrap.servers", null, "Kafka bootstrap servers");
        assertThatThrownBy(r::validate).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).hasSize(4))
                .hasMessageContaining("beds=zero is not an integer")
                .hasMessageContaining("speed=-3 is outside")
                .hasMessageContaining("device=tpu is not one of")
                .hasMessageContaining("HYPNOSTREAM_KAFKA_BOOTSTRAP_SERVERS");
    }

    @Test
    void defaultsApplyAndDescribeDocumentsKeys() {
        ConfigReader r = ConfigReader.of(Map.of("beds", "12"));
        assertThat(r.intInRange("beds", 4, 1, 100, "number of beds")).isEqualTo(12);
        assertThat(r.bool("tls", false, "serve TLS")).isFalse();
        r.validate();
        assertThat(r.describe()).contains("| `beds` | `HYPNOSTREAM_BEDS` | `4` | number of beds |");
    }
}
