package org.hypnostream.app;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.hypnostream.common.config.ModelsFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hypnostream demo}: the whole system in one JVM on synthetic beds (or replayed EDF files). The console gets
 * the demo's own lines only (logs go to a file in the work dir); with {@code --duration} it stops by itself and
 * prints, as its last line, one JSON object of per-bed counts. A work dir it made is deleted when it ends.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run everything in one JVM: embedded Kafka, gateways, topologies, inference (CPU), dashboard.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--beds", defaultValue = "4", description = "Synthetic beds (default ${DEFAULT-VALUE}).")
    int beds;

    @Option(names = "--speed", defaultValue = "1", description = "Replay speed: 1 = real time, 20 = 20x, 0 = as fast as possible (default ${DEFAULT-VALUE}).")
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

    @Option(names = "--work-dir", description = "Where the broker, outbox, state and log live, kept at the end "
            + "(default: a new temp dir, deleted at the end).")
    Path workDir;

    @Override
    public Integer call() throws Exception {
        DemoWorkDir dir = workDir != null ? DemoWorkDir.given(workDir) : DemoWorkDir.createTemporary();
        dir.useForScratch();
        DemoLog.toFile(dir.logFile());
        PrintStream out = System.out;
        int n = edf.isEmpty() ? beds : edf.size();
        out.println("Hypnostream demo: " + n + (edf.isEmpty() ? " synthetic" : " replayed") + " beds at " + number(speed) + "x"
                + (durationSeconds == null ? ", until Ctrl-C" : ", for " + number(durationSeconds) + " s")
                + "; log " + dir.logFile() + (dir.temporary() ? " (work dir deleted at the end)" : ""));
        Duration device = durationSeconds == null ? null : Duration.ofMillis(Math.round(durationSeconds * 1000 * Math.max(speed, 1)));
        Demo.Settings s = new Demo.Settings(n, speed, device, edf, dir.path(), partitions, port, 0L,
                ModelsFolder.resolve(), Stagger.ofSeconds(staggerSeconds));
        try (DemoRun run = new DemoRun(dir, out)) {
            return run.run(s, InstantSource.system(), durationSeconds, reportDir);
        }
    }

    static String number(double x) {
        return x == Math.rint(x) ? Long.toString((long) x) : String.format(Locale.ROOT, "%s", x);
    }
}
