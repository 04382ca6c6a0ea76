package org.hypnostream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayOptionsTest {
    @TempDir
    Path dir;

    @Test
    void metricsBindEveryAddressByDefaultAndGatewayMetricsHostReplacesIt() {
        Map<String, String> base = Map.of("kafka.bootstrap.servers", "127.0.0.1:9", "gateway.outbox.dir",
                dir.resolve("outbox").toString());
        assertThat(GatewayOptions.fromEnvironment(base).metricsHost()).isEqualTo("0.0.0.0");
        GatewayOptions loopback = GatewayOptions.fromEnvironment(Map.of("kafka.bootstrap.servers", "127.0.0.1:9",
                "gateway.outbox.dir", dir.resolve("outbox").toString(), "gateway.metrics.host", "127.0.0.1",
                "gateway.metrics.port", "0"));
        assertThat(loopback.metricsHost()).isEqualTo("127.0.0.1");
        assertThat(loopback.metricsPort()).isZero();
    }
}
