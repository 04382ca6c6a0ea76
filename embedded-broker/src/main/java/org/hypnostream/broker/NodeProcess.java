package org.hypnostream.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Node;

/**
 * Node process control: one {@link KafkaCluster} node as a child JVM ({@link KafkaClusterNodeMain}, this JVM's class
 * path, 384 MiB heap), started again on the same ports and data after a kill or stop. Each start writes its own log,
 * {@code <dir>/node-<id>-<start>.log}.
 */
final class NodeProcess {
    private final int id;
    private final Path dir;
    private final List<String> nodeArgs;
    private Process process;
    private int starts;

    /** @param nodeArgs {@link KafkaClusterNodeMain}'s arguments after the data directory and node id */
    NodeProcess(int id, Path dir, List<String> nodeArgs) {
        this.id = id;
        this.dir = dir;
        this.nodeArgs = List.copyOf(nodeArgs);
    }

    /** Starts the child JVM; does not wait for it (see {@link #awaitRegistered}). */
    synchronized void launch() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("node " + id + " is already running");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-")) {
                cmd.add(a);
            }
        }
        cmd.addAll(List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), KafkaClusterNodeMain.class.getName(),
                dir.resolve("node-" + id).toString(), Integer.toString(id)));
        cmd.addAll(nodeArgs);
        starts++;
        try {
            Files.createDirectories(dir);
            process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log().toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start node " + id, e);
        }
    }

    /** The log of the latest start. */
    synchronized Path log() {
        return dir.resolve("node-" + id + "-" + starts + ".log");
    }

    synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    private synchronized Process process() {
        if (process == null) {
            throw new IllegalStateException("node " + id + " was never started");
        }
        return process;
    }

    /** SIGKILL, and wait until the process is gone. */
    void kill() throws InterruptedException {
        Process p = process();
        p.destroyForcibly();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("node " + id + " survived SIGKILL for 30 s");
        }
    }

    /** SIGTERM and wait: a controlled shutdown; SIGKILL after 60 s. */
    void stop() throws InterruptedException {
        Process p = process();
        p.destroy();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("node " + id + " did not stop within 60 s of SIGTERM; log " + log());
        }
    }

    /** SIGKILL without waiting (a cluster's teardown kills every node first, then waits). */
    synchronized void destroyForcibly() {
        if (process != null) {
            process.destroyForcibly();
        }
    }

    /** Waits at most {@code timeout} for the process to end. */
    void awaitExit(Duration timeout) throws InterruptedException {
        Process p;
        synchronized (this) {
            p = process;
        }
        if (p != null) {
            p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Waits until this start printed its "up" line and the cluster at {@code clusterBootstrap} lists the node as a
     * broker (the line first: a killed node stays listed until the controller fences it); fails when the process ends
     * or after {@code timeout}, with the log's tail.
     */
    void awaitRegistered(String clusterBootstrap, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = BrokerAdmin.admin(clusterBootstrap)) {
            while (true) {
                if (!isRunning()) {
                    throw new IllegalStateException("node " + id + " ended while starting; log " + log() + ":\n" + tail());
                }
                try {
                    if (Files.readString(log()).contains("node " + id + " up on ")) {
                        Collection<Node> nodes = admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                        if (nodes.stream().anyMatch(n -> n.id() == id)) {
                            return;
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read the log of node " + id, e);
                } catch (ExecutionException | TimeoutException e) {
                    // no quorum yet, or no broker answering yet
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("node " + id + " not registered after " + timeout + "; log " + log()
                            + ":\n" + tail());
                }
                Thread.sleep(100); // paces the polling of the log and the cluster
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for node " + id, e);
        }
    }

    /** The last 40 lines of the latest start's log. */
    String tail() {
        try {
            List<String> lines = Files.readAllLines(log());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
