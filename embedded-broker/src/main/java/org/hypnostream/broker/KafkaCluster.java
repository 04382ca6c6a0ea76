package org.hypnostream.broker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
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
 *
 * <p>This class lays the cluster out and answers for it; {@link NodeProcess} controls each node's JVM,
 * {@link ClusterReplication} sizes replication, {@link ClusterMetadata} reads leaders and in-sync replicas.
 */
public final class KafkaCluster implements AutoCloseable {
    private static final Duration REGISTER_TIMEOUT = Duration.ofSeconds(120);

    private final List<Integer> brokerPorts = new ArrayList<>();
    private final Map<Integer, NodeProcess> nodes = new TreeMap<>();
    private final ClusterReplication replication;

    private KafkaCluster(Path dir, int size) {
        Path root = dir.toAbsolutePath();
        String clusterId = Uuid.randomUuid().toString();
        this.replication = ClusterReplication.forSize(size);
        Set<Integer> taken = new HashSet<>();
        List<Integer> controllerPorts = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            brokerPorts.add(BrokerPorts.freeExcept(taken));
            controllerPorts.add(BrokerPorts.freeExcept(taken));
        }
        List<String> voters = new ArrayList<>();
        for (int id = 1; id <= size; id++) {
            voters.add(id + "@127.0.0.1:" + controllerPorts.get(id - 1));
        }
        for (int id = 1; id <= size; id++) {
            List<String> args = new ArrayList<>(List.of(clusterId, String.join(",", voters),
                    Integer.toString(brokerPorts.get(id - 1)), Integer.toString(controllerPorts.get(id - 1))));
            replication.brokerSettings().forEach((k, v) -> args.add(k + "=" + v));
            nodes.put(id, new NodeProcess(id, root, args));
        }
    }

    /** Starts {@code size} nodes side by side and returns once every one of them is a registered broker. */
    public static KafkaCluster start(Path dir, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("a cluster needs at least one node, not " + size);
        }
        KafkaCluster c = new KafkaCluster(dir, size);
        try {
            c.nodes.values().forEach(NodeProcess::launch);
            c.nodes.values().forEach(n -> n.awaitRegistered(c.bootstrapServers(), REGISTER_TIMEOUT));
            return c;
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    public List<Integer> nodeIds() {
        return List.copyOf(nodes.keySet());
    }

    public int replicationFactor() {
        return replication.replicationFactor();
    }

    public int minInsyncReplicas() {
        return replication.minInsyncReplicas();
    }

    /** Every node's client address, comma separated (clients find the others from any one). */
    public String bootstrapServers() {
        return brokerPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    }

    public String bootstrapServers(int nodeId) {
        node(nodeId);
        return "127.0.0.1:" + brokerPorts.get(nodeId - 1);
    }

    /** The broker settings every node gets on top of {@link EmbeddedKafka}'s single-node ones. */
    Map<String, String> brokerSettings() {
        return replication.brokerSettings();
    }

    /** The log of node {@code id}'s latest start. */
    public Path log(int id) {
        return node(id).log();
    }

    public boolean isRunning(int id) {
        return node(id).isRunning();
    }

    /** SIGKILL: no controlled shutdown, no flush; the node's partitions lose their leader until the controller moves them. */
    public void kill(int id) throws InterruptedException {
        node(id).kill();
    }

    /** SIGTERM and wait: a controlled shutdown that hands leadership over first. */
    public void stop(int id) throws InterruptedException {
        node(id).stop();
    }

    /** Starts a stopped or killed node again (same ports, same data) and waits until it is a registered broker. */
    public void start(int id) {
        NodeProcess n = node(id);
        n.launch();
        n.awaitRegistered(bootstrapServers(), REGISTER_TIMEOUT);
    }

    private NodeProcess node(int id) {
        NodeProcess n = nodes.get(id);
        if (n == null) {
            throw new IllegalArgumentException("no node " + id + " (nodes " + nodeIds() + ")");
        }
        return n;
    }

    /** The last 40 lines of node {@code id}'s latest log. */
    public String tail(int id) {
        return node(id).tail();
    }

    public Admin admin() {
        return BrokerAdmin.admin(bootstrapServers());
    }

    /**
     * Creates every topic of the catalogue with {@code partitions} partitions at the cluster's replication factor and
     * {@code min.insync.replicas} set on each topic.
     */
    public void createTopics(int partitions) {
        List<Topic<String, ?>> all = Topics.all();
        try (Admin admin = admin()) {
            TopicProvisioner.createTopics(admin, partitions, (short) replication.replicationFactor(),
                    replication.topicSettings(), all);
        }
    }

    /** See {@link EmbeddedKafka#settledEndOffsets(String, Duration)}. */
    public Map<TopicPartition, Long> settledEndOffsets(String topic, Duration deadline) {
        try (Admin admin = admin()) {
            return SettledOffsets.of(admin, topic, deadline);
        }
    }

    /** Partitions led by each node, over every topic of the cluster (internal ones included). */
    public Map<Integer, Integer> leaderCounts() {
        return ClusterMetadata.leaderCounts(bootstrapServers());
    }

    /**
     * Waits until every partition of every topic has all its replicas in sync (what a rolling restart waits for
     * before it takes the next node down); false at the deadline.
     */
    public boolean awaitFullyReplicated(Duration timeout) throws InterruptedException {
        return ClusterMetadata.awaitFullyReplicated(bootstrapServers(), timeout);
    }

    /**
     * Ends every running node with SIGKILL: a cluster is torn down at the end of a test, and a controlled shutdown of
     * the last nodes would wait for a quorum that is already gone.
     */
    @Override
    public synchronized void close() {
        nodes.values().forEach(NodeProcess::destroyForcibly);
        for (NodeProcess n : nodes.values()) {
            try {
                n.awaitExit(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
