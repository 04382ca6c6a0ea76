package org.hypnostream.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
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
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final int NODE_ID = 1;

    private final Path dataDir;
    private final int nodeId;
    private final String clusterId;
    private final String quorumVoters;
    private final int brokerPort;
    private final int controllerPort;
    private final Map<String, String> overrides;
    private final Tls tls;
    private final Sasl sasl;
    private final int securePort;
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
            java.util.Objects.requireNonNull(keyStore, "keyStore");
            java.util.Objects.requireNonNull(password, "password");
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
            return "Sasl[users=" + new java.util.TreeSet<>(users.keySet()) + ", acls=" + acls + ", mechanism=" + mechanism + "]";
        }

        boolean scram() {
            return mechanism.startsWith("SCRAM");
        }

        /** The broker side: for PLAIN one {@code user_<name>="<password>"} option per user; SCRAM keeps them in KRaft. */
        String jaasConfig() {
            if (scram()) {
                return "org.apache.kafka.common.security.scram.ScramLoginModule required;";
            }
            StringBuilder b = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required");
            new java.util.TreeMap<>(users).forEach((name, password) -> b.append(" user_").append(name).append("=\"")
                    .append(password).append('"'));
            return b.append(';').toString();
        }
    }

    private EmbeddedKafka(Path dataDir, int brokerPort, int controllerPort, Map<String, String> overrides, Tls tls,
            Sasl sasl, int securePort) {
        this(dataDir, NODE_ID, null, null, brokerPort, controllerPort, overrides, tls, sasl, securePort);
    }

    private EmbeddedKafka(Path dataDir, int nodeId, String clusterId, String quorumVoters, int brokerPort,
            int controllerPort, Map<String, String> overrides, Tls tls, Sasl sasl, int securePort) {
        this.dataDir = dataDir;
        this.nodeId = nodeId;
        this.clusterId = clusterId;
        this.quorumVoters = quorumVoters != null ? quorumVoters : nodeId + "@127.0.0.1:" + controllerPort;
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
        this.overrides = Map.copyOf(overrides);
        this.tls = tls;
        this.sasl = sasl;
        this.securePort = securePort;
    }

    /** Starts a broker on two free 127.0.0.1 ports with its log in {@code dataDir} (created or reused). */
    public static EmbeddedKafka start(Path dataDir) {
        return start(dataDir, freePort(), freePort(), Map.of());
    }

    /**
     * Starts a broker on the given ports ({@code 0} picks a free one). A data directory formatted before is reused,
     * so the topics and their records survive a process restart.
     */
    public static EmbeddedKafka start(Path dataDir, int brokerPort, int controllerPort, Map<String, String> overrides) {
        int bp = brokerPort == 0 ? freePort() : brokerPort;
        int cp = controllerPort == 0 ? freePort() : controllerPort;
        while (cp == bp) {
            cp = freePort();
        }
        EmbeddedKafka k = new EmbeddedKafka(dataDir.toAbsolutePath(), bp, cp, overrides, null, null, 0);
        k.format();
        k.startServer();
        return k;
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
        java.util.Objects.requireNonNull(clusterId, "clusterId");
        if (!quorumVoters.contains(nodeId + "@127.0.0.1:" + controllerPort)) {
            throw new IllegalArgumentException("node " + nodeId + " on controller port " + controllerPort
                    + " is not among the voters " + quorumVoters);
        }
        EmbeddedKafka k = new EmbeddedKafka(dataDir.toAbsolutePath(), nodeId, clusterId, quorumVoters, brokerPort,
                controllerPort, overrides, null, null, 0);
        k.format();
        k.startServer();
        return k;
    }

    /**
     * Starts a broker with a TLS listener ({@link #sslBootstrapServers()}) besides the plaintext one (used between
     * broker and controller, by {@link #admin()} and by {@link #createTopics}), all on free 127.0.0.1 ports.
     */
    public static EmbeddedKafka startWithTls(Path dataDir, Tls tls) {
        java.util.Objects.requireNonNull(tls, "tls");
        return startWithSecureListener(dataDir, tls, null);
    }

    /**
     * Starts a broker with a SASL_PLAINTEXT listener ({@link #saslBootstrapServers()}, {@link Sasl#mechanism()}) besides the
     * plaintext one (used between broker and controller, by {@link #admin()} and by {@link #createTopics}), all on
     * free 127.0.0.1 ports; with {@link Sasl#acls()} ACLs are enforced for the SASL users.
     */
    public static EmbeddedKafka startWithSasl(Path dataDir, Sasl sasl) {
        java.util.Objects.requireNonNull(sasl, "sasl");
        return startWithSecureListener(dataDir, null, sasl);
    }

    /**
     * Starts a broker with a SASL_SSL listener (TLS with {@code tls}'s certificate, then SASL with {@code sasl}'s
     * mechanism, users and ACLs; {@link #saslBootstrapServers()} = {@link #sslBootstrapServers()}) besides the plaintext one, all
     * on free 127.0.0.1 ports.
     */
    public static EmbeddedKafka startWithSaslSsl(Path dataDir, Tls tls, Sasl sasl) {
        java.util.Objects.requireNonNull(tls, "tls");
        java.util.Objects.requireNonNull(sasl, "sasl");
        return startWithSecureListener(dataDir, tls, sasl);
    }

    private static EmbeddedKafka startWithSecureListener(Path dataDir, Tls tls, Sasl sasl) {
        int bp = freePort();
        int cp = freePort();
        int sp = freePort();
        while (cp == bp || sp == bp || sp == cp) {
            cp = freePort();
            sp = freePort();
        }
        EmbeddedKafka k = new EmbeddedKafka(dataDir.toAbsolutePath(), bp, cp, Map.of(), tls, sasl, sp);
        k.format();
        k.startServer();
        if (sasl != null && sasl.scram()) {
            try {
                k.createScramUsers();
            } catch (RuntimeException e) {
                k.close();
                throw e;
            }
        }
        return k;
    }

    /** Creates the SASL users' SCRAM credentials (4096 iterations) and waits until the broker knows all of them. */
    private void createScramUsers() {
        ScramMechanism m = ScramMechanism.fromMechanismName(sasl.mechanism());
        List<UserScramCredentialAlteration> upserts = new ArrayList<>();
        sasl.users().forEach((name, password) -> upserts.add(new UserScramCredentialUpsertion(
                name, new ScramCredentialInfo(m, 4096), password)));
        createAndAwait("SCRAM credentials", admin -> admin.alterUserScramCredentials(upserts).all(),
                admin -> admin.describeUserScramCredentials().users().get(30, TimeUnit.SECONDS).containsAll(sasl.users().keySet()));
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    private Path logDir() {
        return dataDir.resolve("kraft-logs");
    }

    private Map<String, Object> config() {
        Map<String, Object> p = new HashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(nodeId));
        p.put("controller.quorum.voters", quorumVoters);
        String advertised = "PLAINTEXT://127.0.0.1:" + brokerPort;
        String protocols = "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT";
        if (tls != null || sasl != null) {
            // one secure listener: SSL, SASL_PLAINTEXT or both (SASL_SSL); its name is its protocol
            String protocol = sasl == null ? "SSL" : tls == null ? "SASL_PLAINTEXT" : "SASL_SSL";
            String prefix = "listener.name." + protocol.toLowerCase(java.util.Locale.ROOT) + ".";
            advertised += "," + protocol + "://127.0.0.1:" + securePort;
            protocols += "," + protocol + ":" + protocol;
            if (tls != null) {
                p.put(prefix + "ssl.keystore.type", "PKCS12");
                p.put(prefix + "ssl.keystore.location", tls.keyStore().toAbsolutePath().toString());
                p.put(prefix + "ssl.keystore.password", tls.password());
                p.put(prefix + "ssl.key.password", tls.password());
                if (tls.clientTrustStore() == null) {
                    p.put(prefix + "ssl.client.auth", "none");
                } else {
                    p.put(prefix + "ssl.client.auth", "required");
                    p.put(prefix + "ssl.truststore.type", "PKCS12");
                    p.put(prefix + "ssl.truststore.location", tls.clientTrustStore().toAbsolutePath().toString());
                    p.put(prefix + "ssl.truststore.password", tls.password());
                }
            }
            if (sasl != null) {
                p.put(prefix + "sasl.enabled.mechanisms", sasl.mechanism());
                p.put(prefix + sasl.mechanism().toLowerCase(java.util.Locale.ROOT) + ".sasl.jaas.config", sasl.jaasConfig());
            }
        }
        if (sasl != null) {
            if (sasl.acls()) {
                p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
                p.put("super.users", "User:ANONYMOUS");
                p.put("allow.everyone.if.no.acl.found", "false");
            }
        }
        p.put("listeners", advertised + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", advertised);
        p.put("listener.security.protocol.map", protocols);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logDir().toString());
        p.put("num.partitions", "1");
        p.put("default.replication.factor", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("min.insync.replicas", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");
        p.put("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
        p.put("message.max.bytes", Integer.toString(16 * 1024 * 1024));
        p.put("replica.fetch.max.bytes", Integer.toString(16 * 1024 * 1024));
        p.put("log.segment.bytes", Integer.toString(64 * 1024 * 1024));
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(4 * 1024 * 1024));
        p.put("transaction.remove.expired.transaction.cleanup.interval.ms", "60000");
        p.putAll(overrides);
        return p;
    }

    private void format() {
        try {
            Files.createDirectories(logDir());
            if (Files.exists(logDir().resolve("meta.properties"))) {
                return;
            }
            new Formatter()
                    .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
                    .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .setNodeId(nodeId)
                    .setClusterId(clusterId != null ? clusterId : Uuid.randomUuid().toString())
                    .setControllerListenerName("CONTROLLER")
                    .setMetadataLogDirectory(logDir().toString())
                    .addDirectory(logDir().toString())
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format KRaft storage in " + logDir() + ": " + e.getMessage(), e);
        }
    }

    private synchronized void startServer() {
        Properties props = new Properties();
        props.putAll(config());
        server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        server.startup();
        awaitReady(Duration.ofSeconds(60));
        LOG.info("embedded Kafka up on {} (data {})", bootstrapServers(), dataDir);
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try (Admin admin = admin()) {
                admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException | TimeoutException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the broker", e);
            }
        }
        throw new IllegalStateException("embedded Kafka did not become ready in " + timeout, last);
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    /**
     * The TLS listener's address (clients need {@code security.protocol=SSL}, or {@code SASL_SSL} when the broker was
     * started with SASL too, and a trust store with its certificate).
     */
    public String sslBootstrapServers() {
        if (tls == null) {
            throw new IllegalStateException("this broker was started without a TLS listener (see startWithTls)");
        }
        return "127.0.0.1:" + securePort;
    }

    /**
     * The SASL listener's address (clients need {@code security.protocol=SASL_PLAINTEXT}, or {@code SASL_SSL} and a trust
     * store when the broker was started with TLS too, {@code sasl.mechanism} = {@link Sasl#mechanism()} and a
     * {@code sasl.jaas.config} naming one of the users).
     */
    public String saslBootstrapServers() {
        if (sasl == null) {
            throw new IllegalStateException("this broker was started without a SASL listener (see startWithSasl)");
        }
        return "127.0.0.1:" + securePort;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Admin admin() {
        return admin(bootstrapServers());
    }

    /** An admin client of a test broker or cluster: 10-s requests, 15-s calls (a dead node is noticed in time). */
    static Admin admin(String bootstrapServers) {
        Map<String, Object> c = new HashMap<>();
        c.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        c.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        return Admin.create(c);
    }

    /**
     * Creates every topic of the catalogue with {@code partitions} partitions ({@link TopicProvisioner}); existing
     * topics are left alone.
     */
    public void createTopics(int partitions) {
        List<Topic<String, ?>> all = Topics.all();
        createTopics(partitions, all);
    }

    /**
     * Creates the ACLs through the plaintext listener (a super user when ACLs are enforced, see {@link Sasl}) and
     * waits until the broker's authorizer answers with all of them, so that a client started next is judged by them.
     */
    public void createAcls(Collection<AclBinding> acls) {
        createAndAwait("ACLs", admin -> admin.createAcls(acls).all(),
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
            return settledEndOffsets(admin, topic, deadline);
        }
    }

    /** {@link #settledEndOffsets(String, Duration)} through any admin client (one with SASL settings, a cluster's). */
    public static Map<TopicPartition, Long> settledEndOffsets(Admin admin, String topic, Duration deadline) {
        try {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions()
                    .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            long until = System.nanoTime() + deadline.toNanos();
            while (true) {
                Map<TopicPartition, Long> stable = ends(admin, latest, IsolationLevel.READ_COMMITTED);
                Map<TopicPartition, Long> high = ends(admin, latest, IsolationLevel.READ_UNCOMMITTED);
                if (stable.equals(high)) {
                    return high;
                }
                if (System.nanoTime() > until) {
                    throw new IllegalStateException("transactions on " + topic + " still open after " + deadline
                            + ": last stable offsets " + stable + ", high watermarks " + high);
                }
                Thread.sleep(5); // paces the polling of the broker; markers land within milliseconds
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the end offsets of " + topic, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted reading the end offsets of " + topic, e);
        }
    }

    private static Map<TopicPartition, Long> ends(Admin admin, Map<TopicPartition, OffsetSpec> latest,
            IsolationLevel isolation) throws ExecutionException, TimeoutException, InterruptedException {
        Map<TopicPartition, Long> out = new HashMap<>();
        Map<TopicPartition, ListOffsetsResultInfo> got = admin.listOffsets(latest, new ListOffsetsOptions(isolation))
                .all().get(30, TimeUnit.SECONDS);
        got.forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    /** One admin call, or a check of what the broker holds. */
    private interface AdminStep<T> {
        T run(Admin admin) throws ExecutionException, TimeoutException, InterruptedException;
    }

    /**
     * Sends {@code create} through the plaintext listener, then polls {@code held} until the broker holds what was
     * created (at most 30 s), so that a client started next is judged by it; failures name {@code what}.
     */
    private void createAndAwait(String what, AdminStep<KafkaFuture<Void>> create,
            AdminStep<Boolean> held) {
        try (Admin admin = admin()) {
            create.run(admin).get(30, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!held.run(admin)) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("the broker does not hold the new " + what + " after 30 s");
                }
                Thread.sleep(20);
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create " + what + ": " + e.getCause().getMessage(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("timed out creating " + what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted creating " + what, e);
        }
    }

    private void createTopics(int partitions, List<Topic<String, ?>> topics) {
        try (Admin admin = admin()) {
            TopicProvisioner.createTopics(admin, partitions, topics);
        }
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
