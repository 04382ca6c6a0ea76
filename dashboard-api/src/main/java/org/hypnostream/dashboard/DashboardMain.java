package org.hypnostream.dashboard;

import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.hypnostream.common.service.RunningService;
import org.hypnostream.common.service.UntilStopped;

/**
 * The dashboard as a service: its own Vert.x instance and the {@link DashboardServer} on it, fed from Kafka.
 * {@code main} runs it alone, configured by HYPNOSTREAM_* environment variables (see README).
 */
public final class DashboardMain implements RunningService {
    private final Vertx vertx;
    private final DashboardServer server;

    private DashboardMain(Vertx vertx, DashboardServer server) {
        this.vertx = vertx;
        this.server = server;
    }

    /** Starts listening and reading the event topics; fails if the users file or the port is bad. */
    public static DashboardMain start(DashboardConfig cfg) {
        Vertx vertx = Vertx.vertx();
        try {
            return new DashboardMain(vertx, DashboardServer.start(vertx, cfg).await());
        } catch (RuntimeException e) {
            vertx.close().await();
            throw e;
        }
    }

    public DashboardServer server() {
        return server;
    }

    public int port() {
        return server.port();
    }

    @Override
    public String name() {
        return "dashboard";
    }

    @Override
    public CompletableFuture<Throwable> failure() {
        return server.failure();
    }

    /** Ready once listening (start returns only then) while its feed is alive. */
    @Override
    public boolean ready() {
        return live();
    }

    @Override
    public synchronized void close() {
        if (vertx.deploymentIDs().isEmpty()) {
            return;
        }
        server.close().await();
        vertx.close().await();
    }

    public static void main(String[] args) throws InterruptedException {
        System.exit(UntilStopped.run(start(DashboardConfig.fromEnvironment(Map.of())), System.err));
    }
}
