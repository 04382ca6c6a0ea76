package org.hypnostream.dashboard;

import io.vertx.core.Vertx;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the dashboard alone: configuration from HYPNOSTREAM_* environment variables (see README). */
public final class DashboardMain {
    private static final Logger LOG = LoggerFactory.getLogger(DashboardMain.class);

    private DashboardMain() {
    }

    public static void main(String[] args) {
        DashboardConfig cfg = DashboardConfig.fromEnvironment(Map.of());
        Vertx vertx = Vertx.vertx();
        DashboardServer.start(vertx, cfg).onFailure(e -> {
            LOG.error("dashboard failed to start: {}", e.getMessage(), e);
            vertx.close();
            System.exit(1);
        }).onSuccess(s -> Runtime.getRuntime().addShutdownHook(new Thread(() -> s.close().await(), "dashboard-shutdown")));
    }
}
