package org.hypnostream.stream;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.List;
import org.hypnostream.common.config.ConfigReader;
import org.hypnostream.common.config.KafkaOverrides;
import org.hypnostream.stream.plm.PlmConfig;
import org.hypnostream.stream.plm.PlmTopology;
import org.hypnostream.common.metrics.MetricsEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The stream-processor service: reads its settings, runs the topologies, serves {@code /metrics}. */
public final class StreamProcessorMain {
    /** Application id (consumer group) of the PLM scoring topology. */
    public static final String PLM_APPLICATION_ID = "hypnostream-plm";
    private static final Logger LOG = LoggerFactory.getLogger(StreamProcessorMain.class);

    /** Everything this service reads from the environment. */
    public record Settings(String bootstrapServers, Path stateDir, String metricsHost, int metricsPort, SpineConfig spine,
            PlmConfig plm) {
        public static Settings read(ConfigReader r) {
            String servers = r.string("kafka.bootstrap.servers", "127.0.0.1:9092", "Kafka bootstrap servers");
            Path state = r.path("stream.state.dir", System.getProperty("java.io.tmpdir") + "/hypnostream-streams",
                    "Kafka Streams state directory (one sub-folder per topology)");
            String host = r.string("stream.metrics.host", "0.0.0.0", "address of the /metrics endpoint");
            int port = r.intInRange("stream.metrics.port", 9402, 0, 65535, "port of the /metrics endpoint (0 = any free)");
            SpineConfig spine = SpineConfig.fromEnvironment(r);
            PlmConfig plm = PlmConfig.fromEnvironment(r);
            r.validate();
            return new Settings(servers, state, host, port, spine, plm);
        }
    }

    private StreamProcessorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        run(Map.of());
    }

    /** Runs until the JVM shuts down; {@code overrides} win over environment and system properties. */
    public static void run(Map<String, String> overrides) throws InterruptedException {
        Settings s = Settings.read(ConfigReader.fromEnvironment(overrides));
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        CountDownLatch stopped = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        try (MetricsEndpoint metrics = MetricsEndpoint.start(s.metricsHost(), s.metricsPort(), registry::scrape);
                StreamProcessorApp app = StreamProcessorApp.start(s.bootstrapServers(), s.stateDir(), registry,
                        KafkaOverrides.fromEnvironment(overrides),
                        List.of(StreamProcessorApp.spine(s.spine(), registry),
                                new StreamProcessorApp.Spec(PLM_APPLICATION_ID, PlmTopology.build(s.plm()))))) {
            LOG.info("stream processor running; metrics at http://{}:{}/metrics", s.metricsHost(), metrics.port());
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stopped.countDown();
                try {
                    closed.await(40, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "stream-processor-shutdown"));
            stopped.await();
        } finally {
            closed.countDown();
        }
    }

    /** The README configuration table. */
    public static String describe() {
        ConfigReader r = ConfigReader.of(Map.of());
        Settings.read(r);
        return r.describe();
    }
}
