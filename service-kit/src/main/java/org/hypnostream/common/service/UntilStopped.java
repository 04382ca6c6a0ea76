package org.hypnostream.common.service;

import java.io.PrintStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Runs a started service as a process's work: until the process is told to stop (SIGTERM, Ctrl-C; the service is
 * closed from the shutdown hook, exit status as the JVM gives it) or until a worker of the service dies (the service
 * is closed and the cause printed as one line; exit status {@link #FAILED}).
 */
public final class UntilStopped {
    /** Exit status of a process whose service stopped working on its own. */
    public static final int FAILED = 1;

    private UntilStopped() {
    }

    /** Blocks until the service fails (then closes it and returns {@link #FAILED}) or the JVM shuts down. */
    public static int run(RunningService service, PrintStream err) throws InterruptedException {
        CompletableFuture<Void> stopping = new CompletableFuture<>();
        Thread hook = new Thread(() -> {
            stopping.complete(null);
            service.close();
        }, service.name() + "-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        Throwable cause;
        try {
            cause = service.failure().get();
        } catch (ExecutionException e) {
            cause = e.getCause();
        }
        if (stopping.isDone()) {
            return 0; // the hook closes it; the JVM's status stands
        }
        err.println("hypnostream " + service.name() + " failed: " + oneLine(cause));
        err.flush();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            return FAILED;
        }
        service.close();
        return FAILED;
    }

    /** The cause's message (or class) on one line, with its root cause when that says more. */
    public static String oneLine(Throwable t) {
        String text = t.getMessage() != null ? t.getMessage() : t.toString();
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != t && !text.contains(root.toString())) {
            text += " (cause: " + root + ")";
        }
        return text.replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }
}
