package org.hypnostream.app;

import java.util.concurrent.Callable;
import org.hypnostream.common.service.UntilStopped;
import org.hypnostream.dashboard.DashboardConfig;
import org.hypnostream.dashboard.DashboardMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code hypnostream dashboard}: the ward dashboard (REST, websockets, web page) alone. */
@Command(name = "dashboard", mixinStandardHelpOptions = true,
        description = "Run the ward dashboard (Vert.x): REST, websockets, the web page, /metrics, /health/live, /health/ready.")
final class DashboardCommand implements Callable<Integer> {
    @Mixin
    ServiceOptions service;

    @Override
    public Integer call() throws InterruptedException {
        DashboardMain dashboard = DashboardMain.start(DashboardConfig.fromEnvironment(service.overrides()));
        System.out.println("Dashboard listening on port " + dashboard.port());
        return UntilStopped.run(dashboard, System.err);
    }
}
