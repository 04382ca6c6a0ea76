package org.hypnostream.ingest;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.hypnostream.common.metrics.MetricsEndpoint;
import org.hypnostream.common.service.RunningService;
import org.hypnostream.ingest.edf.EdfFile;
import org.hypnostream.ingest.edf.EdfReader;
import org.hypnostream.ingest.source.AmplifierSource;
import org.hypnostream.ingest.source.ReplaySource;
import org.hypnostream.ingest.source.SyntheticAmplifier;
import org.hypnostream.ingest.wfdb.WfdbReader;
import org.hypnostream.ingest.wfdb.WfdbRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires a gateway from configuration: sources, outbox, relay, and Prometheus /metrics. */
public final class GatewayMain {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayMain.class);

    private GatewayMain() {
    }

    /** A started gateway with its metrics endpoint (null when the port is -1). */
    public static final class Running implements RunningService {
        private final Gateway gateway;
        private final MetricsEndpoint metrics;
        private final PrometheusMeterRegistry registry;

        Running(Gateway gateway, MetricsEndpoint metrics, PrometheusMeterRegistry registry) {
            this.gateway = gateway;
            this.metrics = metrics;
            this.registry = registry;
        }

        public Gateway gateway() {
            return gateway;
        }

        public PrometheusMeterRegistry registry() {
            return registry;
        }

        /** -1 when the endpoint is off. */
        public int metricsPort() {
            return metrics == null ? -1 : metrics.port();
        }

        @Override
        public String name() {
            return "gateway";
        }

        @Override
        public CompletableFuture<Throwable> failure() {
            return gateway.failure();
        }

        /** Ready once started: the relay has found where to resume. */
        @Override
        public boolean ready() {
            return live();
        }

        @Override
        public void close() {
            gateway.close();
            if (metrics != null) {
                metrics.close();
            }
        }
    }

    /**
     * Builds the configured sources: synthetic beds "bed-1".."bed-N" (seed = bed number), or N copies of one EDF or
     * WFDB recording replayed as beds. Session start = {@code sessionStart} (device times count from it).
     */
    public static List<AmplifierSource> sources(GatewayOptions o, Instant sessionStart) {
        List<AmplifierSource> out = new ArrayList<>();
        String spec = o.source();
        try {
            if (spec.equals("synthetic")) {
                for (int i = 1; i <= o.beds(); i++) {
                    out.add(new SyntheticAmplifier("bed-" + i, i, sessionStart));
                }
            } else if (spec.startsWith("edf:")) {
                EdfFile f = EdfReader.read(Path.of(spec.substring(4)));
                for (int i = 1; i <= o.beds(); i++) {
                    out.add(ReplaySource.of("bed-" + i, f, sessionStart));
                }
            } else {
                WfdbRecord r = WfdbReader.read(Path.of(spec.substring(5)));
                for (int i = 1; i <= o.beds(); i++) {
                    out.add(ReplaySource.of("bed-" + i, r, sessionStart));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("gateway.source " + spec + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** Starts the configured gateway and its /metrics and /health endpoints. */
    public static Running start(GatewayOptions o, InstantSource clock) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        List<AmplifierSource> sources = sources(o, clock.instant().truncatedTo(ChronoUnit.SECONDS));
        return start(o.gateway(), sources, o.metricsHost(), o.metricsPort(), clock, registry);
    }

    /**
     * Starts a gateway on given sources (the demo's beds); its /metrics endpoint binds {@code metricsHost}, port
     * {@code metricsPort} (-1 = no endpoint).
     */
    public static Running start(GatewayConfig config, List<AmplifierSource> sources, String metricsHost, int metricsPort,
            InstantSource clock, PrometheusMeterRegistry registry) {
        Gateway g = Gateway.start(config, sources, clock, registry);
        MetricsEndpoint m = null;
        if (metricsPort >= 0) {
            try {
                m = MetricsEndpoint.start(metricsHost, metricsPort, registry::scrape);
                LOG.info("gateway metrics at http://localhost:{}/metrics", m.port());
            } catch (RuntimeException e) {
                g.close();
                throw e;
            }
        }
        Running running = new Running(g, m, registry);
        if (m != null) {
            m.health(running);
        }
        return running;
    }

    public static void main(String[] args) throws InterruptedException {
        GatewayOptions o = GatewayOptions.fromEnvironment(Map.of());
        Running r = start(o, InstantSource.system());
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            r.close();
            done.countDown();
        }, "gateway-shutdown"));
        done.await();
    }
}
