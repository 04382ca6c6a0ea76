package org.hypnostream.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.hypnostream.common.metrics.MetricsEndpoint;
import org.hypnostream.common.service.Health;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ProbeCommandTest {

    @Test
    void exitsZeroOnlyFor200() {
        MetricsEndpoint m = MetricsEndpoint.start("127.0.0.1", 0, () -> "");
        try {
            String base = "http://127.0.0.1:" + m.port();
            assertThat(probe(base + "/health/live")).isZero();
            assertThat(probe(base + "/health/ready")).as("starting: 503").isEqualTo(1);
            m.health(Health.of(() -> true, () -> true));
            assertThat(probe(base + "/health/ready")).isZero();
        } finally {
            m.close();
        }
        assertThat(probe("http://127.0.0.1:" + m.port() + "/health/ready")).as("nobody listening").isEqualTo(1);
    }

    private static int probe(String url) {
        return new CommandLine(new HypnostreamMain()).execute("probe", "--timeout", "2", url);
    }
}
