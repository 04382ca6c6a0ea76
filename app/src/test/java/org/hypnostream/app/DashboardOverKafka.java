package org.hypnostream.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.hypnostream.common.event.JsonCodec;
import org.hypnostream.dashboard.DashboardConfig;
import org.hypnostream.dashboard.DashboardServer;
import org.hypnostream.dashboard.auth.UserDirectory;

/**
 * The dashboard started in-process on {@code kafka.*} settings (TLS, SASL, ...): signs in, waits until bed-1's night
 * shows {@code stages} stage events read from Kafka, then acknowledges {@code alertId} (written to Kafka).
 */
final class DashboardOverKafka {
    /** What the dashboard showed and answered. */
    record Seen(int stages, int acknowledgeStatus) {
    }

    private DashboardOverKafka() {
    }

    static Seen feedAndAcknowledge(Path dir, Map<String, String> kafkaSettings, long stages, String alertId, String over)
            throws Exception {
        String password = "dash-" + Long.toHexString(System.nanoTime());
        Path users = Files.writeString(dir.resolve("users.txt"),
                UserDirectory.line("admin", Set.of("*"), password.toCharArray(), 10_000) + "\n");
        Map<String, String> env = new HashMap<>(kafkaSettings);
        env.putAll(Map.of("dashboard.users.file", users.toString(), "dashboard.http.port", "0"));
        DashboardConfig cfg = DashboardConfig.fromEnvironment(env);
        Vertx vertx = Vertx.vertx();
        try {
            DashboardServer server = DashboardServer.start(vertx, cfg).await();
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + server.port();
            HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(base + "/api/login"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"user\":\"admin\",\"password\":\"" + password + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(login.statusCode()).as("sign-in: %s", login.body()).isEqualTo(200);
            String token = JsonCodec.mapper().readTree(login.body()).get("token").asText();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            int seen = 0;
            while (seen < stages) {
                assertThat(System.nanoTime()).as("stage events read by the dashboard over %s", over).isLessThan(deadline);
                Thread.sleep(200);
                HttpResponse<String> night = http.send(HttpRequest.newBuilder(URI.create(base + "/api/beds/bed-1/night"))
                        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
                seen = night.statusCode() == 200 ? JsonCodec.mapper().readTree(night.body()).get("stages").size() : 0;
            }
            HttpResponse<String> ack = http.send(HttpRequest.newBuilder(URI.create(base
                    + "/api/beds/bed-1/alerts/" + alertId + "/acknowledge")).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ack.statusCode()).as("acknowledge written to Kafka over %s: %s", over, ack.body()).isEqualTo(202);
            server.close().await();
            return new Seen(seen, ack.statusCode());
        } finally {
            vertx.close().await();
        }
    }
}
