package org.hypnostream.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.hypnostream.common.service.Health;
import org.junit.jupiter.api.Test;

class MetricsEndpointTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void healthEndpointsAnswerForTheServiceOnceSet() throws Exception {
        AtomicBoolean live = new AtomicBoolean(true);
        AtomicBoolean ready = new AtomicBoolean(true);
        try (MetricsEndpoint m = MetricsEndpoint.start("127.0.0.1", 0, () -> "x_total 1.0\n")) {
            assertThat(status(m, "/health/live")).as("starting: alive").isEqualTo(200);
            assertThat(status(m, "/health/ready")).as("starting: not ready").isEqualTo(503);
            m.health(Health.of(live::get, ready::get));
            assertThat(status(m, "/health/ready")).isEqualTo(200);
            ready.set(false);
            assertThat(status(m, "/health/ready")).isEqualTo(503);
            live.set(false);
            assertThat(status(m, "/health/live")).isEqualTo(503);
            assertThat(status(m, "/health")).as("/health = live").isEqualTo(503);
            assertThat(get(m, "/metrics").body()).isEqualTo("x_total 1.0\n");
        }
    }

    private int status(MetricsEndpoint m, String path) throws Exception {
        return get(m, path).statusCode();
    }

    private HttpResponse<String> get(MetricsEndpoint m, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + m.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
