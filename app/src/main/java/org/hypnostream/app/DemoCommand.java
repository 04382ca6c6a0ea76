package org.hypnostream.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hypnostream demo}: the whole system in one JVM on synthetic beds (or replayed EDF files). With
 * {@code --duration} it stops by itself and prints, as its last line, one JSON object of per-bed counts.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run everything in one JVM: embedded Kafka, gateways, topologies, inference (CPU), dashboard.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--beds", defaultValue = "4", description = "Synthetic beds (default ${DEFAULT-VALUE}).")
    int beds;

    @Option(names = "--speed", defaultValue = "1", description = "Replay speed: 1 = real time, 20 = 20x (default ${DEFAULT-VALUE}).")
    double speed;

    @Option(names = "--duration", description = "Stop after this many wall-clock seconds and print the JSON summary.")
    Double durationSeconds;

    @Option(names = "--edf", description = "Replay this EDF/EDF+ file as a bed instead of synthetic beds (repeatable).")
    List<Path> edf = new ArrayList<>();

    @Option(names = "--stagger", defaultValue = "30", description = "Spread the beds' session starts evenly over this many "
            + "device seconds, so that their epochs do not all complete at once; 0 = all together (default ${DEFAULT-VALUE}).")
    double staggerSeconds;

    @Option(names = "--partitions", defaultValue = "4", description = "Partitions per topic (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--port", defaultValue = "8080", description = "Dashboard HTTP port, 0 = any free port, -1 = no dashboard (default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--report-dir", description = "With --duration: at the end, write each bed's report and FHIR bundle here "
            + "(<bed>.pdf, <bed>.fhir.json).")
    Path reportDir;

    @Option(names = "--work-dir", description = "Where the broker, outbox and state live (default: a new temp dir).")
    Path workDir;

    @Override
    public Integer call() throws Exception {
        Path dir = workDir != null ? workDir : Files.createTempDirectory("hypnostream-demo-");
        Duration device = durationSeconds == null ? null : Duration.ofMillis(Math.round(durationSeconds * 1000 * Math.max(speed, 1)));
        String models = System.getenv().getOrDefault("HYPNOSTREAM_MODELS_DIR", "models");
        Demo.Settings s = new Demo.Settings(edf.isEmpty() ? beds : edf.size(), speed, device, edf, dir, partitions, port, 0L,
                Path.of(models), Stagger.ofSeconds(staggerSeconds));
        try (Demo demo = Demo.start(s, InstantSource.system())) {
            System.out.println("Hypnostream demo: " + demo.bedIds().size() + " beds at " + speed + "x; Kafka "
                    + demo.bootstrapServers() + "; work dir " + dir);
            if (demo.dashboardBanner() != null) {
                System.out.println(demo.dashboardBanner());
            }
            if (durationSeconds == null) {
                UntilStopped.await("demo", demo);
                return 0;
            }
            boolean quiet = demo.awaitQuiet(Duration.ofSeconds(Math.round(durationSeconds) + 180));
            if (!quiet) {
                System.err.println("demo: pipeline did not catch up in time; counts below may be partial");
            }
            System.out.println(demo.summaryJson());
            if (reportDir != null) {
                demo.writeReports(reportDir);
            }
            return quiet ? 0 : 1;
        }
    }
}
