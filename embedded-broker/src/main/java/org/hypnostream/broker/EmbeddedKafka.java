package org.hypnostream.broker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.utils.Time;
import org.hypnostream.common.topic.Topic;
import org.hypnostream.common.topic.TopicProvisioner;
import org.hypnostream.common.topic.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node KRaft Kafka (broker + controller in one process) for the demo and integration tests.
 *
 * <p>Static quorum, pre-picked loopback ports (kept across {@link #stop()}/{@link #restart()} so clients reconnect),
 * a data directory that is formatted once and reused across restarts, replication factor 1 and min.insync.replicas 1
 * everywhere so transactions (exactly_once_v2) work on one node.
 *
 * <p>This class starts, stops and answers for the node; the jobs behind it live apart: {@link BrokerPorts} (port
 * picking), {@link BrokerNode} and {@link BrokerSettings} (broker configuration), {@link SecureListener} (TLS/SASL
 * listener, ACL authorizer, SCRAM users), {@link KraftStorage} (formatting), {@link BrokerAdmin} (admin client,
 * readiness, create-and-await) and {@link SettledOffsets} (end offsets once transactions settle).
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

    private final BrokerNode node;
    private final SecureListener secure;
    private final Map<String, Object> settings;
    private KafkaRaftServer server;

    /**
     * A TLS listener's server certificate: a PKCS#12 key store (one private key entry whose certificate names
     * 127.0.0.1 in its subject alternative names, since clients verify the host name) and its password; with a
     * {@code clientTrustStore} (PKCS#12, same password) the listener requires mutual TLS: a client must present a
     * certificate that store trusts.
     */
    public record Tls(Path keyStore, String password, Path clientTrustStore) {
        /** Server authentication only. */
        public Tls(Path keyStore, String password) {
            this(keyStore, password, null);
        }

        public Tls {
            Objects.requireNonNull(keyStore, "keyStore");
            Objects.requireNonNull(password, "password");
        }
    }

    /**
     * A SASL listener with {@code mechanism} ({@code PLAIN}, {@code SCRAM-SHA-256} or {@code SCRAM-SHA-512}) and these
     * users (name -> password; SCRAM credentials are created through the admin API once the broker runs); with
     * {@code acls} the KRaft
     * {@code StandardAuthorizer} enforces ACLs ({@code allow.everyone.if.no.acl.found=false}): every SASL user needs
     * ACLs, while {@code User:ANONYMOUS} (the plaintext and controller listeners: broker/controller traffic,
     * {@link #admin()}, {@link #createTopics}) is a super user. Loopback tests only: PLAIN over plaintext sends
     * passwords in the clear.
     */
    public record Sasl(Map<String, String> users, boolean acls, String mechanism) {
        /** With mechanism PLAIN. */
        public Sasl(Map<String, String> users, boolean acls) {
            this(users, acls, "PLAIN");
        }

        public Sasl {
            if (!Set.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512").contains(mechanism)) {
                throw new IllegalArgumentException("SASL mechanism '" + mechanism + "' must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512");
            }
            users = Map.copyOf(users);
            if (users.isEmpty()) {
                throw new IllegalArgumentException("a SASL listener needs at least one user");
            }
            users.forEach((name, password) -> {
                if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
                    throw new IllegalArgumentException("SASL user name '" + name + "' must match [A-Za-z0-9._-]{1,64}");
                }
                if (password.isEmpty() || password.contains("\"") || password.contains("\\")) {
                    throw new IllegalArgumentException("password of SASL user " + name
                            + " must be non-empty and free of quotes and backslashes (it is written into a JAAS line)");
                }
            });
        }

        /** Names the users, never their passwords. */
        @Override
        public String toString() {
            return "Sasl[users=" + new TreeSet<>(users.keySet()) + ", acls=" + acls + ", mechanism=" + mechanism + "]";
        }
    }

    private EmbeddedKafka(BrokerNode node, SecureListener secure, Map<String, String> overrides) {
        this.node = node;
        this.secure = secure;
        this.settings = Map.copyOf(BrokerSettings.of(node, secure, overrides));
    }

    /** Starts a broker on two free 127.0.0.1 ports with its log in {@code dataDir} (created or reused). */
    public static EmbeddedKafka start(Path dataDir) {
        return start(dataDir, 0, 0, Map.of());
    }

    /**
     * Starts a broker on the given ports ({@code 0} picks a free one). A data directory formatted before is reused,
     * so the topics and their records survive a process restart.
     */
    public static EmbeddedKafka start(Path dataDir, int brokerPort, int controllerPort, Map<String, String> overrides) {
        Set<Integer> taken = new HashSet<>();
        int bp = brokerPort == 0 ? BrokerPorts.freeExcept(taken) : brokerPort;
        taken.add(bp);
        int cp = controllerPort == 0 || controllerPort == bp ? BrokerPorts.freeExcept(taken) : controllerPort;
        return started(new EmbeddedKafka(BrokerNode.single(dataDir, bp, cp), null, overrides));
    }

    /**
     * Starts one node (broker + controller) of a multi-node KRaft cluster with a static quorum: {@code quorumVoters}
     * is {@code controller.quorum.voters} ({@code id@127.0.0.1:controllerPort,...}, this node among them), every node
     * formatted with the same {@code clusterId}. Returns once this node answers; that needs a majority of the voters
     * up, so start the nodes side by side ({@link KafkaCluster} runs each in its own JVM). {@code overrides} set the
     * replication settings that fit the cluster's size (the single-node defaults are 1).
     */
    public static EmbeddedKafka startNode(Path dataDir, int nodeId, String clusterId, String quorumVoters,
            int brokerPort, int controllerPort, Map<String, String> overrides) {
        Objects.requireNonNull(clusterId, "clusterId");
        Objects.requireNonNull(quorumVoters, "quorumVoters");
        BrokerNode node = new BrokerNode(dataDir, nodeId, clusterId, quorumVoters, brokerPort, controllerPort);
        return started(new EmbeddedKafka(node, null, overrides));
    }

    /**
     * Starts a broker with a TLS listener ({@link #sslBootstrapServers()}) besides the plaintext one (used between
     * broker and controller, by {@link #admin()} and by {@link #createTopics}), all on free 127.0.0.1 ports.
     */
    public static EmbeddedKafka startWithTls(Path dataDir, Tls tls) {
        Objects.requireNonNull(tls, "tls");
        return startWithSecureListener(dataDir, tls, null);
    }

    /**
     * Starts a broker with a SASL_PLAINTEXT listener ({@link #saslBootstrapServers()}, {@link Sasl#mechanism()}) besides the
     * plaintext one (used between broker and controller, by {@link #admin()} and by {@link #createTopics}), all on
     * free 127.0.0.1 ports; with {@link Sasl#acls()} ACLs are enforced for the SASL users.
     */
    public static EmbeddedKafka startWithSasl(Path dataDir, Sasl sasl) {
        Objects.requireNonNull(sasl, "sasl");
        return startWithSecureListener(dataDir, null, sasl);
    }

    /**
     * Starts a broker with a SASL_SSL listener (TLS with {@code tls}'s certificate, then SASL with {@code sasl}'s
     * mechanism, users and ACLs; {@link #saslBootstrapServers()} = {@link #sslBootstrapServers()}) besides the plaintext one, all
     * on free 127.0.0.1 ports.
     */
    public static EmbeddedKafka startWithSaslSsl(Path dataDir, Tls tls, Sasl sasl) {
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(sasl, "sasl");
        return startWithSecureListener(dataDir, tls, sasl);
    }

    private static EmbeddedKafka startWithSecureListener(Path dataDir, Tls tls, Sasl sasl) {
        Set<Integer> taken = new HashSet<>();
        BrokerNode node = BrokerNode.single(dataDir, BrokerPorts.freeExcept(taken), BrokerPorts.freeExcept(taken));
        SecureListener secure = new SecureListener(tls, sasl, BrokerPorts.freeExcept(taken));
        EmbeddedKafka k = started(new EmbeddedKafka(node, secure, Map.of()));
        try {
            secure.createScramUsers(k.bootstrapServers());
        } catch (RuntimeException e) {
            k.close();
            throw e;
        }
        return k;
    }

    private static EmbeddedKafka started(EmbeddedKafka k) {
        KraftStorage.formatOnce(k.node);
        k.startServer();
        return k;
    }

    private synchronized void startServer() {
        Properties props = new Properties();
        props.putAll(settings);
        server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        server.startup();
        BrokerAdmin.awaitReady(bootstrapServers(), Duration.ofSeconds(60));
        LOG.info("embedded Kafka up on {} (data {})", bootstrapServers(), node.dataDir());
    }

    public String bootstrapServers() {
        return node.bootstrapServers();
    }

    /**
     * The TLS listener's address (clients need {@code security.protocol=SSL}, or {@code SASL_SSL} when the broker was
     * started with SASL too, and a trust store with its certificate).
     */
    public String sslBootstrapServers() {
        if (secure == null || secure.tls() == null) {
            throw new IllegalStateException("this broker was started without a TLS listener (see startWithTls)");
        }
        return secure.address();
    }

    /**
     * The SASL listener's address (clients need {@code security.protocol=SASL_PLAINTEXT}, or {@code SASL_SSL} and a trust
     * store when the broker was started with TLS too, {@code sasl.mechanism} = {@link Sasl#mechanism()} and a
     * {@code sasl.jaas.config} naming one of the users).
     */
    public String saslBootstrapServers() {
        if (secure == null || secure.sasl() == null) {
            throw new IllegalStateException("this broker was started without a SASL listener (see startWithSasl)");
        }
        return secure.address();
    }

    public Path dataDir() {
        return node.dataDir();
    }

    /** An admin client through the plaintext listener: 10-s requests, 15-s calls. */
    public Admin admin() {
        return BrokerAdmin.admin(bootstrapServers());
    }

    /**
     * Creates every topic of the catalogue with {@code partitions} partitions ({@link TopicProvisioner}); existing
     * topics are left alone.
     */
    public void createTopics(int partitions) {
        List<Topic<String, ?>> all = Topics.all();
        try (Admin admin = admin()) {
            TopicProvisioner.createTopics(admin, partitions, all);
        }
    }

    /**
     * Creates the ACLs through the plaintext listener (a super user when ACLs are enforced, see {@link Sasl}) and
     * waits until the broker's authorizer answers with all of them, so that a client started next is judged by them.
     */
    public void createAcls(Collection<AclBinding> acls) {
        BrokerAdmin.createAndAwait(bootstrapServers(), "ACLs", admin -> admin.createAcls(acls).all(),
                admin -> admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS).containsAll(acls));
    }

    /**
     * The end offsets of {@code topic} once every transaction written to it is decided, for a reader that must see all
     * of a finished writer's output. A transactional producer's commit returns when the coordinator has logged it; the
     * commit markers reach the partitions afterwards, so for a moment a read_committed reader's end (the last stable
     * offset) stops short of the last transaction. Polls the broker until the last stable offset equals the high
     * watermark on every partition and returns that; fails after {@code deadline} (a transaction still open).
     */
    public Map<TopicPartition, Long> settledEndOffsets(String topic, Duration deadline) {
        try (Admin admin = admin()) {
            return SettledOffsets.of(admin, topic, deadline);
        }
    }

    /** {@link #settledEndOffsets(String, Duration)} through any admin client (one with SASL settings, a cluster's). */
    public static Map<TopicPartition, Long> settledEndOffsets(Admin admin, String topic, Duration deadline) {
        return SettledOffsets.of(admin, topic, deadline);
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    /** Shuts the broker down (an outage); the data directory and ports are kept for {@link #restart()}. */
    public synchronized void stop() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
            LOG.info("embedded Kafka on {} stopped", bootstrapServers());
        }
    }

    /** Starts the broker again on the same ports and data directory. */
    public synchronized void restart() {
        if (server == null) {
            startServer();
        }
    }

    /** Blocks until the broker shuts down (for the standalone {@code broker} command). */
    public void awaitShutdown() {
        KafkaRaftServer s;
        synchronized (this) {
            s = server;
        }
        if (s != null) {
            s.awaitShutdown();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
