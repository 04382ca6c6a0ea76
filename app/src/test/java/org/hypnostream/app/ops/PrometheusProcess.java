package org.hypnostream.app.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A Prometheus server (the Debian package's binary) as a child process on a free loopback port, with its own config
 * (every target on 127.0.0.1, scraped and evaluated every second), data directory and log under {@code dir}; and its
 * HTTP query API.
 */
final class PrometheusProcess implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Process process;
    private final Path log;
    private final URI api;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();

    private PrometheusProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.api = URI.create("http://127.0.0.1:" + port + "/api/v1/");
    }

    /** Scrapes {@code targets} (job -> port on 127.0.0.1) and evaluates {@code rules}. */
    static PrometheusProcess start(Path binary, Path dir, Map<String, Integer> targets, Path rules) throws IOException {
        StringBuilder yml = new StringBuilder("""
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                  evaluation_interval: 1s
                rule_files: ["%s"]
                scrape_configs:
                """.formatted(rules));
        targets.forEach((job, p) -> yml.append("  - job_name: ").append(job)
                .append("\n    static_configs: [{ targets: [\"127.0.0.1:").append(p).append("\"] }]\n"));
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, yml);
        Path log = dir.resolve("prometheus.log");
        int port = freeLoopbackPort();
        Process p = new ProcessBuilder(binary.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new PrometheusProcess(p, log, port);
    }

    int port() {
        return port;
    }

    interface Probe<T> {
        /** The result, or null when not there yet. */
        T poll() throws Exception;
    }

    /** Polls {@code probe} until it answers; fails at the deadline or when Prometheus has exited. */
    <T> T await(String what, Duration timeout, Probe<T> probe) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (true) {
            assertThat(process.isAlive()).as("prometheus running; log:\n%s", log()).isTrue();
            try {
                T t = probe.poll();
                if (t != null) {
                    return t;
                }
            } catch (IOException e) {
                last = e; // not listening yet
            }
            assertThat(System.nanoTime()).as("%s within %s (last error %s); log:\n%s", what, timeout, last, log())
                    .isLessThan(deadline);
            Thread.sleep(250);
        }
    }

    /** The result of an instant query. */
    JsonNode query(String promql) throws IOException, InterruptedException {
        JsonNode body = get("query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        assertThat(body.path("status").asText()).as("query %s: %s", promql, body).isEqualTo("success");
        return body.path("data").path("result");
    }

    /** Instant query -> job -> value (one series per job expected). */
    Map<String, Double> byJob(String promql) throws IOException, InterruptedException {
        Map<String, Double> out = new TreeMap<>();
        for (JsonNode s : query(promql)) {
            out.put(s.path("metric").path("job").asText(), Double.parseDouble(s.path("value").get(1).asText()));
        }
        return out;
    }

    /** The rule groups, as {@code /api/v1/rules} lists them. */
    JsonNode ruleGroups() throws IOException, InterruptedException {
        return get("rules").path("data").path("groups");
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        URI uri = api.resolve(path);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(uri + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "(none)";
    }

    static String version(Path binary) throws IOException, InterruptedException {
        String out = Promtool.run(Path.of("."), Duration.ofSeconds(30), binary.toString(), "--version").output();
        return out.lines().findFirst().orElse("?").replace("prometheus, ", "");
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
