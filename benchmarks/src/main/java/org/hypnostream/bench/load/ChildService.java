package org.hypnostream.bench.load;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One service ({@code hypnostream stream-processor} or {@code inference}) as a separate JVM on this machine, started
 * from the running JVM's own class path, its output in a log file. Used by the scale-out benchmark to run 1 or 2
 * instances of each service against one broker.
 */
public final class ChildService implements AutoCloseable {
    /** The JVM flags bin/hypnostream passes (Kafka, Chronicle and ONNX Runtime need some of them). */
    private static final List<String> JVM_FLAGS = List.of(
            "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens", "java.base/java.nio=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens", "java.base/java.util=ALL-UNNAMED",
            "--add-opens", "java.base/java.io=ALL-UNNAMED", "-Dchronicle.analytics.disable=true");

    private final String name;
    private final Process process;

    private ChildService(String name, Process process) {
        this.name = name;
        this.process = process;
    }

    /**
     * Starts {@code hypnostream <args>} in a child JVM with heap {@code xmx} (e.g. "768m"), stdout and stderr to
     * {@code log}.
     */
    public static ChildService start(String name, List<String> args, String xmx, Path log) throws IOException {
        List<String> jvmOptions = new ArrayList<>(JVM_FLAGS);
        jvmOptions.add("-Xmx" + xmx);
        ProcessBuilder pb = ChildJvm.of(ProcessHandle.current().info().command().orElse("java"), jvmOptions,
                System.getProperty("java.class.path"), "org.hypnostream.app.HypnostreamMain", args)
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putIfAbsent("HYPNOSTREAM_LOG_LEVEL", "WARN");
        return new ChildService(name, pb.start());
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** CPU time the child used so far (0 when the platform does not say). */
    public Duration cpu() {
        return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /** Stops the child (SIGTERM: the services close their clients and leave their groups), killing it after 30 s. */
    @Override
    public void close() throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
