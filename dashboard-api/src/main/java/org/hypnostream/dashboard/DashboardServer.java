package org.hypnostream.dashboard;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.micrometer.backends.BackendRegistries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.hypnostream.dashboard.auth.Sessions;
import org.hypnostream.dashboard.auth.UserDirectory;
import org.hypnostream.dashboard.eeg.EegPanel;
import org.hypnostream.dashboard.feed.AlertActionSink;
import org.hypnostream.dashboard.feed.DashboardEvent;
import org.hypnostream.dashboard.feed.EventSource;
import org.hypnostream.dashboard.feed.KafkaFeed;
import org.hypnostream.dashboard.feed.KafkaPublisher;
import org.hypnostream.dashboard.feed.StudySink;
import org.hypnostream.dashboard.night.WardState;
import org.hypnostream.dashboard.web.ApiRoutes;
import org.hypnostream.dashboard.web.LiveSockets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ward dashboard: one verticle owning the nights, the websockets and the HTTP server on one event loop; the
 * event topics are read on their own thread and applied on that loop.
 */
public final class DashboardServer {
    private static final Logger LOG = LoggerFactory.getLogger(DashboardServer.class);

    private final Vertx vertx;
    private final Verticle verticle;
    private final String deploymentId;

    private DashboardServer(Vertx vertx, Verticle verticle, String deploymentId) {
        this.vertx = vertx;
        this.verticle = verticle;
        this.deploymentId = deploymentId;
    }

    /** Starts against Kafka at {@code cfg.bootstrapServers()}; fails if the users file or the port is bad. */
    public static Future<DashboardServer> start(Vertx vertx, DashboardConfig cfg) {
        KafkaPublisher publisher = new KafkaPublisher(cfg.bootstrapServers(), cfg.kafkaSettings());
        return start(vertx, cfg, new KafkaFeed(cfg.bootstrapServers(), cfg.kafkaSettings(), publisher::deadLetter), publisher,
                publisher, InstantSource.system())
                .onFailure(e -> publisher.close());
    }

    /**
     * Starts with any event source and action sink (tests feed events in memory); the sink takes study marks too when
     * it is also a {@link StudySink}, else every mark is answered 503.
     */
    public static Future<DashboardServer> start(Vertx vertx, DashboardConfig cfg, EventSource source, AlertActionSink sink,
            InstantSource clock) {
        StudySink studies = sink instanceof StudySink s ? s : new StudySink() {
            @Override
            public java.util.concurrent.CompletionStage<Void> publish(org.hypnostream.common.study.StudyEvent e) {
                return java.util.concurrent.CompletableFuture.failedFuture(new IllegalStateException("no study sink"));
            }

            @Override
            public java.util.concurrent.CompletionStage<Void> publish(org.hypnostream.common.study.BedsideEvent e) {
                return java.util.concurrent.CompletableFuture.failedFuture(new IllegalStateException("no study sink"));
            }
        };
        return start(vertx, cfg, source, sink, studies, clock);
    }

    /** Starts with any event source, action sink and study sink. */
    public static Future<DashboardServer> start(Vertx vertx, DashboardConfig cfg, EventSource source, AlertActionSink sink,
            StudySink studies, InstantSource clock) {
        UserDirectory users;
        try {
            users = UserDirectory.load(cfg.usersFile());
        } catch (IOException e) {
            return Future.failedFuture(new UncheckedIOException("cannot read users file " + cfg.usersFile(), e));
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(e);
        }
        Verticle v = new Verticle(cfg, users, source, sink, studies, clock);
        return vertx.deployVerticle(v).map(id -> new DashboardServer(vertx, v, id));
    }

    public int port() {
        return verticle.server.actualPort();
    }

    public Future<Void> close() {
        return vertx.undeploy(deploymentId);
    }

    /** Completes with the cause when the event feed dies (never on {@link #close()}). */
    public CompletableFuture<Throwable> failure() {
        return verticle.source.failure();
    }

    private static final class Verticle extends VerticleBase {
        private final DashboardConfig cfg;
        private final UserDirectory users;
        private final EventSource source;
        private final AlertActionSink sink;
        private final StudySink studies;
        private final InstantSource clock;
        private HttpServer server;

        Verticle(DashboardConfig cfg, UserDirectory users, EventSource source, AlertActionSink sink, StudySink studies,
                InstantSource clock) {
            this.cfg = cfg;
            this.users = users;
            this.source = source;
            this.sink = sink;
            this.studies = studies;
            this.clock = clock;
        }

        @Override
        public Future<?> start() {
            MeterRegistry fromVertx = BackendRegistries.getDefaultNow();
            PrometheusMeterRegistry registry = fromVertx instanceof PrometheusMeterRegistry p ? p : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            Counter applied = registry.counter("hypnostream.dashboard.events.applied");
            Counter refused = registry.counter("hypnostream.dashboard.events.refused");
            WardState state = new WardState(clock);
            EegPanel eeg = new EegPanel();
            LiveSockets sockets = new LiveSockets(state, eeg, clock, registry);
            var router = ApiRoutes.build(vertx, cfg, state, sockets, users, Sessions.of(clock, cfg.tokenTtl(), cfg.sessionDir()), sink, studies, clock,
                    registry, PrometheusScrapingHandler.create(registry));
            // liveness = the event feed is alive; ready = listening (this verticle serves only once it listens)
            router.get("/health/live").order(-1).handler(ctx -> health(ctx, !source.failure().isDone()));
            router.get("/health/ready").order(-1).handler(ctx -> health(ctx, !source.failure().isDone()));
            HttpServerOptions opts = new HttpServerOptions().setMaxWebSocketFrameSize(4096).setMaxWebSocketMessageSize(4096)
                    .setMaxHeaderSize(8192).setMaxInitialLineLength(4096).setMaxFormAttributeSize(4096);
            if (cfg.tlsKeyStore() != null) {
                opts.setSsl(true).setKeyCertOptions(new PfxOptions().setPath(cfg.tlsKeyStore().toString()).setPassword(cfg.tlsKeyStorePassword()));
            }
            server = vertx.createHttpServer(opts).requestHandler(router);
            return server.listen(cfg.httpPort(), cfg.httpHost()).onSuccess(s -> {
                LOG.info("dashboard listening on {}://{}:{}", cfg.tlsKeyStore() == null ? "http" : "https", cfg.httpHost(), s.actualPort());
                source.start(batch -> context.runOnContext(x -> apply(batch, state, eeg, sockets, applied, refused)));
            });
        }

        private static void health(io.vertx.ext.web.RoutingContext ctx, boolean ok) {
            ctx.response().setStatusCode(ok ? 200 : 503).end(ok ? "ok\n" : "no\n");
        }

        private static void apply(List<DashboardEvent> batch, WardState state, EegPanel eeg, LiveSockets sockets,
                Counter applied, Counter refused) {
            for (DashboardEvent e : batch) {
                if (e instanceof DashboardEvent.OfEegFrame f) {
                    if (eeg.add(f.value())) {
                        sockets.publishEeg(f.value());
                    }
                    continue;
                }
                if (e instanceof DashboardEvent.OfEmgTrace t) {
                    if (eeg.add(t.value())) {
                        sockets.publishEmg(t.value());
                    }
                    continue;
                }
                try {
                    state.apply(e).ifPresent(sockets::publish);
                    applied.increment();
                } catch (IllegalArgumentException bad) {
                    refused.increment();
                    LOG.warn("dashboard: event refused: {}", bad.getMessage());
                }
            }
        }

        @Override
        public Future<?> stop() {
            Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
            return closed.compose(v -> vertx.executeBlocking(() -> { // Kafka clients block while closing: off the event loop
                source.close();
                sink.close();
                return null;
            }));
        }
    }
}
