package org.hypnostream.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hypnostream.broker.EmbeddedKafka;
import org.hypnostream.common.service.UntilStopped;
import org.hypnostream.dashboard.auth.UserDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each service run as its own process ({@code hypnostream <service>}, a child JVM as a container runs it) ends with
 * a non-zero status and says why on one line when its worker thread dies: the gateway's relay, a Kafka Streams
 * thread, either inference loop (live, re-score), the dashboard's event feed. Before, such a process kept running with its work stopped.
 */
class WorkerDeathIT {
    @TempDir
    static Path dir;
    static EmbeddedKafka kafka;

    @BeforeAll
    static void broker() {
        kafka = EmbeddedKafka.start(dir.resolve("broker"));
        kafka.createTopics(1);
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void gatewayEndsWhenItsRelayDies() throws Exception {
        int port = freePort();
        assertDiesOnOneLine("gateway", "relay-gw-kill", port, Map.of("gateway.id", "gw-kill", "gateway.beds", "1",
                "gateway.outbox.dir", dir.resolve("outbox").toString(), "gateway.metrics.host", "127.0.0.1",
                "gateway.metrics.port", Integer.toString(port)),
                "relay of gateway gw-kill stopped");
    }

    @Test
    void streamProcessorEndsWhenAStreamThreadDies() throws Exception {
        int port = freePort();
        assertDiesOnOneLine("stream-processor", "hypnostream-spine-.*-StreamThread-1", port, Map.of("stream.state.dir",
                dir.resolve("streams").toString(), "stream.metrics.host", "127.0.0.1", "stream.metrics.port",
                Integer.toString(port)), " to ERROR: "); // the spine's, or the PLM client's if the dying thread broke a shared class
    }

    @Test
    void inferenceEndsWhenItsLoopDies() throws Exception {
        int port = freePort();
        assertDiesOnOneLine("inference", "inference-inf-kill", port, Map.of("models.dir", SpineEndToEndIT.MODELS.toString(),
                "inference.device", "cpu", "inference.instance.id", "inf-kill", "inference.metrics.host", "127.0.0.1", "inference.metrics.port",
                Integer.toString(port)), "inference loop inf-kill stopped");
    }

    @Test
    void inferenceEndsWhenItsReScoreLoopDies() throws Exception {
        int port = freePort();
        assertDiesOnOneLine("inference", "inference-rescore-inf-kill-r", port, Map.of("models.dir",
                SpineEndToEndIT.MODELS.toString(), "inference.device", "cpu", "inference.instance.id", "inf-kill-r",
                "inference.metrics.host", "127.0.0.1", "inference.metrics.port", Integer.toString(port)),
                "inference loop inf-kill-r rescore stopped");
    }

    @Test
    void dashboardEndsWhenItsFeedDies() throws Exception {
        int port = freePort();
        Path users = dir.resolve("users.txt");
        Files.writeString(users, UserDirectory.line("nurse", Set.of("ward-a"), "kill-test-password".toCharArray(), 10_000) + "\n");
        assertDiesOnOneLine("dashboard", "dashboard-kafka-feed", port, Map.of("dashboard.http.host", "127.0.0.1",
                "dashboard.http.port", Integer.toString(port), "dashboard.users.file", users.toString()),
                "dashboard feed stopped");
    }

    private static void assertDiesOnOneLine(String service, String thread, int port, Map<String, String> config,
            String cause) throws Exception {
        Map<String, String> env = new java.util.HashMap<>(config);
        env.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        try (ServiceProcess p = new ServiceProcess(service, env, dir.resolve("logs"), KillWorkerMain.class.getName(),
                List.of(thread, "http://127.0.0.1:" + port + "/health/ready"))) {
            p.start();
            int status = p.awaitExit(Duration.ofMinutes(2));
            List<String> log = Files.readAllLines(p.log());
            assertThat(log).as("log of %s:\n%s", service, p.logTail()).anyMatch(l -> l.startsWith("test: killing thread ") && l.substring("test: killing thread ".length()).matches(thread));
            assertThat(status).as("exit status of %s; log:\n%s", service, p.logTail()).isEqualTo(UntilStopped.FAILED);
            assertThat(log).as("log of %s:\n%s", service, p.logTail())
                    .anyMatch(l -> l.startsWith("hypnostream " + service + " failed: ") && l.contains(cause)
                            // the kill itself; killed inside a blocking Kafka call, the client reports it as its
                            // InterruptException (seen once for the relay in a fresh-clone run)
                            && (l.contains("ThreadDeath") || l.contains("InterruptException")));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
