package org.hypnostream.app;

import io.vertx.core.Vertx;
import java.util.concurrent.Callable;
import org.hypnostream.dashboard.DashboardConfig;
import org.hypnostream.dashboard.DashboardServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code hypnostream dashboard}: the ward dashboard (REST, websockets, web page) alone. */
@Command(name = "dashboard", mixinStandardHelpOptions = true,
        description = "Run the ward dashboard (Vert.x): REST, websockets, the web page, /metrics.")
final class DashboardCommand implements Callable<Integer> {
    @Mixin
    ServiceOptions service;

    @Override
    public Integer call() throws InterruptedException {
        DashboardConfig cfg = DashboardConfig.fromEnvironment(service.overrides());
        Vertx vertx = Vertx.vertx();
        DashboardServer server;
        try {
            server = DashboardServer.start(vertx, cfg).await();
        } catch (RuntimeException e) {
            vertx.close().await();
            throw e;
        }
        System.out.println("Dashboard listening on port " + server.port());
        UntilStopped.await("dashboard", () -> {
            server.close().await();
            vertx.close().await();
        });
        return 0;
    }
}
