package org.hypnostream.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.hypnostream.common.topic.Topic;
import org.hypnostream.common.topic.TopicProvisioner;
import org.hypnostream.common.topic.Topics;

/**
 * A real multi-node KRaft cluster on loopback for reliability tests: every node is broker + controller in its own
 * child JVM ({@link KafkaClusterNodeMain}, this JVM's class path), so a node can be SIGKILLed ({@link #kill}),
 * stopped cleanly ({@link #stop}) and started again on the same ports and data ({@link #start(int)}).
 *
 * <p>Static quorum of all nodes; replication sized for production: every topic (Streams' internal topics and the
 * consumer offsets included) at replication factor {@code min(3, size)} and {@code min.insync.replicas}
 * {@code min(2, size)}, the transaction state log too, unclean leader election off. Node ids are 1..size.
 */
public final class KafkaCluster implements AutoCloseable {
    private final Path dir;
    private final String clusterId;
    private final List<Integer> brokerPorts = new ArrayList<>();
    private final List<Integer> controllerPorts = new ArrayList<>();
    private final Map<Integer, Process> processes = new TreeMap<>();
    private final Map<Integer, Integer> starts = new HashMap<>();
    private final int replicationFactor;
    private final int minInsyncReplicas;

    private KafkaCluster(Path dir, int size) {
        this.dir = dir.toAbsolutePath();
        this.clusterId = Uuid.randomUuid().toString();
        Set<Integer> taken = new java.util.HashSet<>();
        for (int i = 0; i < size; i++) {
            brokerPorts.add(uniquePort(taken));
            controllerPorts.add(uniquePort(taken));
        }
        this.replicationFactor = Math.min(3, size);
        this.minInsyncReplicas = Math.min(2, size);
    }

    private static int uniquePort(Set<Integer> taken) {
        int p = EmbeddedKafka.freePort();
        while (!taken.add(p)) {
            p = EmbeddedKafka.freePort();
        }
        return p;
    }

    /** Starts {@code size} nodes side by side and returns once every one of them is a registered broker. */
    public static KafkaCluster start(Path dir, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("a cluster needs at least one node, not " + size);
        }
        KafkaCluster c = new KafkaCluster(dir, size);
        try {
            for (int id : c.nodeIds()) {
                c.launch(id);
            }
            for (int id : c.nodeIds()) {
                c.awaitRegistered(id, Duration.ofSeconds(120));
            }
            return c;
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    public List<Integer> nodeIds() {
        List<Integer> ids = new ArrayList<>();
        for (int i = 1; i <= brokerPorts.size(); i++) {
            ids.add(i);
        }
        return ids;
    }

    public int replicationFactor() {
        return replicationFactor;
    }

    public int minInsyncReplicas() {
        return minInsyncReplicas;
    }

    /** Every node's client address, comma separated (clients find the others from any one). */
    public String bootstrapServers() {
        return brokerPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    }

    public String bootstrapServers(int nodeId) {
        return "127.0.0.1:" + brokerPorts.get(nodeId - 1);
    }

    /** The broker settings every node gets on top of {@link EmbeddedKafka}'s single-node ones. */
    Map<String, String> brokerSettings() {
        Map<String, String> m = new TreeMap<>();
        String rf = Integer.toString(replicationFactor);
        String isr = Integer.toString(minInsyncReplicas);
        m.put("default.replication.factor", rf);
        m.put("min.insync.replicas", isr);
        m.put("offsets.topic.replication.factor", rf);
        m.put("transaction.state.log.replication.factor", rf);
        m.put("transaction.state.log.min.isr", isr);
        m.put("share.coordinator.state.topic.replication.factor", rf);
        m.put("share.coordinator.state.topic.min.isr", isr);
        m.put("unclean.leader.election.enable", "false");
        return m;
    }

    private String quorumVoters() {
        List<String> v = new ArrayList<>();
        for (int id : nodeIds()) {
            v.add(id + "@127.0.0.1:" + controllerPorts.get(id - 1));
        }
        return String.join(",", v);
    }

    private synchronized void launch(int id) {
        Process running = processes.get(id);
        if (running != null && running.isAlive()) {
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
                dir.resolve("node-" + id).toString(), Integer.toString(id), clusterId, quorumVoters(),
                Integer.toString(brokerPorts.get(id - 1)), Integer.toString(controllerPorts.get(id - 1))));
        brokerSettings().forEach((k, v) -> cmd.add(k + "=" + v));
        starts.merge(id, 1, Integer::sum);
        try {
            Files.createDirectories(dir);
            processes.put(id, new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log(id).toFile()).start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start node " + id, e);
        }
    }

    /** The log of node {@code id}'s latest start. */
    public synchronized Path log(int id) {
        return dir.resolve("node-" + id + "-" + starts.getOrDefault(id, 0) + ".log");
    }

    public synchronized boolean isRunning(int id) {
        Process p = processes.get(id);
        return p != null && p.isAlive();
    }

    /** SIGKILL: no controlled shutdown, no flush; the node's partitions lose their leader until the controller moves them. */
    public void kill(int id) throws InterruptedException {
        Process p = process(id);
        p.destroyForcibly();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("node " + id + " survived SIGKILL for 30 s");
        }
    }

    /** SIGTERM and wait: a controlled shutdown that hands leadership over first. */
    public void stop(int id) throws InterruptedException {
        Process p = process(id);
        p.destroy();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("node " + id + " did not stop within 60 s of SIGTERM; log " + log(id));
        }
    }

    /** Starts a stopped or killed node again (same ports, same data) and waits until it is a registered broker. */
    public void start(int id) {
        launch(id);
        awaitRegistered(id, Duration.ofSeconds(120));
    }

    private synchronized Process process(int id) {
        Process p = processes.get(id);
        if (p == null) {
            throw new IllegalArgumentException("no node " + id + " (nodes " + nodeIds() + ")");
        }
        return p;
    }

    private void awaitRegistered(int id, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = admin()) {
            while (true) {
                if (!isRunning(id)) {
                    throw new IllegalStateException("node " + id + " ended while starting; log " + log(id) + ":\n" + tail(id));
                }
                try {
                    // the node's own line first: a killed node stays listed until the controller fences it
                    if (Files.readString(log(id)).contains("node " + id + " up on ")) {
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
                    throw new IllegalStateException("node " + id + " not registered after " + timeout + "; log " + log(id)
                            + ":\n" + tail(id));
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for node " + id, e);
        }
    }

    /** The last 40 lines of node {@code id}'s latest log. */
    public String tail(int id) {
        try {
            List<String> lines = Files.readAllLines(log(id));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    public Admin admin() {
        return EmbeddedKafka.admin(bootstrapServers());
    }

    /**
     * Creates every topic of the catalogue with {@code partitions} partitions at the cluster's replication factor and
     * {@code min.insync.replicas} set on each topic.
     */
    public void createTopics(int partitions) {
        List<Topic<String, ?>> all = Topics.all();
        try (Admin admin = admin()) {
            TopicProvisioner.createTopics(admin, partitions, (short) replicationFactor,
                    Map.of("min.insync.replicas", Integer.toString(minInsyncReplicas)), all);
        }
    }

    /** See {@link EmbeddedKafka#settledEndOffsets(String, Duration)}. */
    public Map<TopicPartition, Long> settledEndOffsets(String topic, Duration deadline) {
        try (Admin admin = admin()) {
            return EmbeddedKafka.settledEndOffsets(admin, topic, deadline);
        }
    }

    /** Partitions led by each node, over every topic of the cluster (internal ones included). */
    public Map<Integer, Integer> leaderCounts() {
        Map<Integer, Integer> counts = new TreeMap<>();
        for (TopicDescription d : describeAll().values()) {
            d.partitions().forEach(p -> {
                if (p.leader() != null && !p.leader().isEmpty()) {
                    counts.merge(p.leader().id(), 1, Integer::sum);
                }
            });
        }
        return counts;
    }

    /**
     * Waits until every partition of every topic has all its replicas in sync (what a rolling restart waits for
     * before it takes the next node down); false at the deadline.
     */
    public boolean awaitFullyReplicated(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                boolean full = describeAll().values().stream().flatMap(d -> d.partitions().stream())
                        .allMatch(p -> p.isr().size() == p.replicas().size());
                if (full) {
                    return true;
                }
            } catch (IllegalStateException e) {
                // metadata moving under a restart: look again
            }
            Thread.sleep(200);
        }
        return false;
    }

    private Map<String, TopicDescription> describeAll() {
        try (Admin admin = admin()) {
            Set<String> names = admin.listTopics(new org.apache.kafka.clients.admin.ListTopicsOptions().listInternal(true))
                    .names().get(15, TimeUnit.SECONDS);
            return admin.describeTopics(names).allTopicNames().get(15, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot describe the topics: " + e.getCause(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("timed out describing the topics", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted describing the topics", e);
        }
    }

    /**
     * Ends every running node with SIGKILL: a cluster is torn down at the end of a test, and a controlled shutdown of
     * the last nodes would wait for a quorum that is already gone.
     */
    @Override
    public synchronized void close() {
        for (Process p : processes.values()) {
            p.destroyForcibly();
        }
        for (Process p : processes.values()) {
            try {
                p.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
