package org.hypnostream.stream;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.List;
import org.hypnostream.common.config.ConfigReader;
import org.hypnostream.common.config.KafkaOverrides;
import org.hypnostream.stream.alarm.AlarmEscalationTopology;
import org.hypnostream.stream.alarm.EscalationConfig;
import org.hypnostream.stream.plm.PlmConfig;
import org.hypnostream.stream.plm.PlmTopology;
import org.hypnostream.common.metrics.MetricsEndpoint;
import org.hypnostream.common.service.RunningService;
import org.hypnostream.common.service.UntilStopped;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The stream-processor service: reads its settings, runs the topologies, serves {@code /metrics} and {@code /health}. */
public final class StreamProcessorMain {
    /** Application id (consumer group) of the PLM scoring topology. */
    public static final String PLM_APPLICATION_ID = "hypnostream-plm";
    /** Application id of the alarm reminder / escalation topology (ADR 0013). */
    public static final String ALARM_APPLICATION_ID = AlarmEscalationTopology.APPLICATION_ID;
    private static final Logger LOG = LoggerFactory.getLogger(StreamProcessorMain.class);

    /** Everything this service reads from the environment. */
    public record Settings(String bootstrapServers, Path stateDir, String metricsHost, int metricsPort, SpineConfig spine,
            PlmConfig plm, EscalationConfig alarms) {
        public static Settings read(ConfigReader r) {
            String servers = r.string("kafka.bootstrap.servers", "127.0.0.1:9092", "Kafka bootstrap servers");
            Path state = r.path("stream.state.dir", System.getProperty("java.io.tmpdir") + "/hypnostream-streams",
                    "Kafka Streams state directory (one sub-folder per topology)");
            String host = r.string("stream.metrics.host", "0.0.0.0", "address of the /metrics endpoint");
            int port = r.intInRange("stream.metrics.port", 9402, -1, 65535,
                    "port of the /metrics and /health endpoints (0 = any free, -1 = none)");
            SpineConfig spine = SpineConfig.fromEnvironment(r);
            PlmConfig plm = PlmConfig.fromEnvironment(r);
            EscalationConfig alarms = EscalationConfig.fromEnvironment(r);
            r.validate();
            return new Settings(servers, state, host, port, spine, plm, alarms);
        }
    }

    private StreamProcessorMain() {
    }

    /** Reads the environment (HYPNOSTREAM_*), runs until the process is stopped or a topology fails. */
    public static void main(String[] args) throws InterruptedException {
        System.exit(UntilStopped.run(start(Map.of()), System.err));
    }

    /** The running topologies with their /metrics and /health endpoint. */
    public static final class Running implements RunningService {
        private final StreamProcessorApp app;
        private final MetricsEndpoint metrics;

        private Running(StreamProcessorApp app, MetricsEndpoint metrics) {
            this.app = app;
            this.metrics = metrics;
        }

        @Override
        public String name() {
            return "stream-processor";
        }

        @Override
        public CompletableFuture<Throwable> failure() {
            return app.failure();
        }

        @Override
        public boolean ready() {
            return live() && app.ready();
        }

        public StreamProcessorApp app() {
            return app;
        }

        /** -1 when the endpoint is off. */
        public int metricsPort() {
            return metrics == null ? -1 : metrics.port();
        }

        @Override
        public void close() {
            app.close();
            if (metrics != null) {
                metrics.close();
            }
        }
    }

    /** Starts the spine, PLM and alarm escalation topologies; {@code kafka} = Kafka Streams properties applied last. */
    public static Running start(Settings s, Map<String, String> kafka, PrometheusMeterRegistry registry) {
        MetricsEndpoint metrics = s.metricsPort() < 0 ? null : MetricsEndpoint.start(s.metricsHost(), s.metricsPort(), registry::scrape);
        try {
            StreamProcessorApp app = StreamProcessorApp.start(s.bootstrapServers(), s.stateDir(), registry, kafka,
                    List.of(StreamProcessorApp.spine(s.spine(), registry),
                            new StreamProcessorApp.Spec(PLM_APPLICATION_ID, PlmTopology.build(s.plm()), StreamProcessorApp.offStagePath()),
                            new StreamProcessorApp.Spec(ALARM_APPLICATION_ID, AlarmEscalationTopology.build(s.alarms()),
                                    StreamProcessorApp.offStagePath())));
            Running running = new Running(app, metrics);
            if (metrics != null) {
                metrics.health(running);
                LOG.info("stream processor running; metrics at http://{}:{}/metrics", s.metricsHost(), metrics.port());
            }
            return running;
        } catch (RuntimeException e) {
            if (metrics != null) {
                metrics.close();
            }
            throw e;
        }
    }

    /** Starts from the environment ({@code overrides} win over it and system properties). */
    public static Running start(Map<String, String> overrides) {
        return start(Settings.read(ConfigReader.fromEnvironment(overrides)), KafkaOverrides.fromEnvironment(overrides),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    /**
     * Runs until the thread is interrupted (then closes) or a topology fails (then closes and throws);
     * {@code overrides} win over environment and system properties.
     */
    public static void run(Map<String, String> overrides) throws InterruptedException {
        try (Running running = start(overrides)) {
            Throwable failed = running.failure().get();
            throw new IllegalStateException("stream processor stopped: " + failed, failed);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** The README configuration table. */
    public static String describe() {
        ConfigReader r = ConfigReader.of(Map.of());
        Settings.read(r);
        return r.describe();
    }
}
