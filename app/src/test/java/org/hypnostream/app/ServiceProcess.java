package org.hypnostream.app;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.hypnostream.common.config.ConfigReader;

/**
 * One service ({@code hypnostream <subcommand>}) run as a child JVM with the test classpath and its configuration as
 * {@code HYPNOSTREAM_*} environment variables, the way a container runs it. Output goes to a log file per start.
 */
final class ServiceProcess implements AutoCloseable {
    private final String subcommand;
    private final Map<String, String> config;
    private final Path logDir;
    private final String mainClass;
    private final List<String> mainArgs;
    private Process process;
    private int starts;

    ServiceProcess(String subcommand, Map<String, String> config, Path logDir) {
        this(subcommand, config, logDir, HypnostreamMain.class.getName(), List.of());
    }

    /** Run by {@code mainClass} with {@code mainArgs} before the subcommand (a test wrapper around the launcher). */
    ServiceProcess(String subcommand, Map<String, String> config, Path logDir, String mainClass, List<String> mainArgs) {
        this.subcommand = subcommand;
        this.config = new LinkedHashMap<>(config);
        this.logDir = logDir;
        this.mainClass = mainClass;
        this.mainArgs = List.copyOf(mainArgs);
    }

    ServiceProcess start() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(subcommand + " is already running");
        }
        Files.createDirectories(logDir);
        List<String> cmd = childJvm(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"), mainClass);
        cmd.addAll(mainArgs);
        cmd.add(subcommand);
        starts++;
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(log().toFile());
        config.forEach((k, v) -> pb.environment().put(ConfigReader.envName(k), v));
        pb.environment().put("ORT_DISABLE_TELEMETRY", "1");
        process = pb.start();
        return this;
    }

    /**
     * The command line of a child JVM running {@code mainClass} on the test classpath, with this JVM's module opens
     * (Chronicle needs them), 512 MiB of heap and {@code jvmOptions}; callers append the program's arguments.
     */
    static List<String> childJvm(List<String> jvmOptions, String mainClass) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-") || a.startsWith("-Dchronicle")) {
                cmd.add(a);
            }
        }
        cmd.add("-Xmx512m");
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        return cmd;
    }

    /** The log of the latest start. */
    Path log() {
        return logDir.resolve(subcommand + "-" + starts + ".log");
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Waits for the process to end on its own; its exit status, or throws when it is still running at the deadline. */
    int awaitExit(java.time.Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(subcommand + " still running after " + timeout + "; log:\n" + logTail());
        }
        return process.exitValue();
    }

    /** SIGKILL: no shutdown hook, no flush, no transaction abort. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(subcommand + " survived SIGKILL for 30 s");
        }
    }

    /** The tail of the latest log, for assertion messages. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(40, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
