package org.hypnostream.app;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.hypnostream.common.service.UntilStopped;

/**
 * One run of the demo from the console: starts it saying what it starts, prints the dashboard address and sign-in
 * last and again when the first sleep stages arrive, then runs until Ctrl-C / SIGTERM (or for {@code --duration},
 * ending with the JSON summary and, with {@code --report-dir}, each bed's report). Whichever way it ends, the services are closed and a temporary work dir deleted
 * (kept, and named, when the run failed, for its log).
 */
final class DemoRun implements AutoCloseable {
    private final DemoWorkDir dir;
    private final PrintStream out;
    private final Thread main = Thread.currentThread();
    private final Thread hook = new Thread(this::onSignal, "demo-shutdown");
    private final CompletableFuture<Void> stopRequested = new CompletableFuture<>();
    private final CountDownLatch finished = new CountDownLatch(1);
    private boolean failed = true;
    /** Guards {@link #closing}: a stop signal or a dying service interrupts the run only before it starts closing. */
    private final Object phase = new Object();
    private boolean closing;
    private Demo demo;
    private FirstStages firstStages;

    DemoRun(DemoWorkDir dir, PrintStream out) {
        this.dir = dir;
        this.out = out;
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Runs the demo; its exit status. */
    int run(Demo.Settings settings, InstantSource clock, Double durationSeconds, Path reportDir) throws Exception {
        try {
            long t0 = System.nanoTime();
            StringBuilder starting = new StringBuilder();
            out.print("Starting");
            demo = Demo.start(settings, clock, step -> {
                out.print((starting.length() == 0 ? " " : ", ") + step);
                out.flush();
                starting.append(step);
            });
            out.printf(Locale.ROOT, ": ready in %.1f s. Kafka %s, work dir %s%n", (System.nanoTime() - t0) / 1e9,
                    demo.bootstrapServers(), dir.path());
            String banner = demo.dashboardBanner();
            if (banner != null) {
                out.println(banner);
                firstStages = FirstStages.watch(demo.bootstrapServers(), settings.partitions());
                firstStages.firstBed().thenAccept(bed -> {
                    out.println("First sleep stages are in (" + bed + " first); the ward view shows them.");
                    out.println(banner);
                });
            }
            demo.failure().thenRun(this::interruptUnlessClosing);
            int status;
            if (durationSeconds == null) {
                CompletableFuture.anyOf(stopRequested, demo.failure()).get();
                if (demo.failure().isDone()) {
                    return failed();
                }
                status = 0;
            } else {
                boolean quiet = demo.awaitQuiet(Duration.ofSeconds(Math.round(durationSeconds) + 180));
                if (!quiet) {
                    System.err.println("demo: pipeline did not catch up in time; counts below may be partial");
                }
                out.println(demo.summaryJson());
                if (reportDir != null) {
                    demo.writeReports(reportDir);
                }
                status = quiet ? 0 : 1;
            }
            failed = status != 0;
            return status;
        } catch (InterruptedException | RuntimeException e) {
            if (stopRequested.isDone()) {
                failed = false; // stopped by Ctrl-C / SIGTERM while starting or waiting: not a failure
                return 130;
            }
            if (demo != null && demo.failure().isDone()) {
                return failed();
            }
            throw e;
        }
    }

    /** A service's worker died: one line saying which and why; the work dir stays for its log. */
    private int failed() {
        Throwable cause = demo.failure().getNow(null);
        System.err.println("hypnostream demo failed: " + String.valueOf(cause.getMessage()).replaceAll("\\s*[\\r\\n]+\\s*", " "));
        return UntilStopped.FAILED;
    }

    /** Ctrl-C / SIGTERM: wakes the run and waits until it has closed everything. */
    private void onSignal() {
        if (finished.getCount() == 0) {
            return;
        }
        synchronized (phase) {
            out.println("Stopping ...");
            stopRequested.complete(null);
            interruptUnlessClosing();
        }
        try {
            finished.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Wakes the run from starting or waiting. Never once it closes the services: an interrupt landing there (the stop
     * signal wakes the run through {@code stopRequested} before it interrupts) cut the dashboard's and the Streams
     * clients' close short, with a WARN on the console and Streams threads logging after the log was closed.
     */
    private void interruptUnlessClosing() {
        synchronized (phase) {
            if (!closing) {
                main.interrupt();
            }
        }
    }

    @Override
    public void close() throws IOException {
        synchronized (phase) {
            closing = true;
            Thread.interrupted(); // a wake-up that came while the run was returning is spent: closing must run whole
        }
        try {
            if (firstStages != null) {
                try {
                    firstStages.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (demo != null) {
                demo.close();
            }
            if (failed && dir.temporary()) {
                out.println("Work dir kept for its log: " + dir.path());
            } else {
                dir.cleanUp();
            }
        } finally {
            finished.countDown();
            if (!stopRequested.isDone()) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook runs now and finds the run finished
                }
            }
        }
    }
}
