package org.hypnostream.app;

import static org.apache.kafka.common.acl.AclOperation.CREATE;
import static org.apache.kafka.common.acl.AclOperation.READ;
import static org.apache.kafka.common.acl.AclOperation.WRITE;
import static org.apache.kafka.common.resource.PatternType.LITERAL;
import static org.apache.kafka.common.resource.PatternType.PREFIXED;
import static org.apache.kafka.common.resource.ResourceType.GROUP;
import static org.apache.kafka.common.resource.ResourceType.TOPIC;
import static org.apache.kafka.common.resource.ResourceType.TRANSACTIONAL_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.hypnostream.broker.EmbeddedKafka;
import org.hypnostream.common.event.Alert;
import org.hypnostream.common.event.AlertPriority;
import org.hypnostream.common.event.AlertState;
import org.hypnostream.common.event.BedInfo;
import org.hypnostream.common.topic.Topic;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.inference.service.InferenceConfig;
import org.hypnostream.stream.StreamProcessorApp;
import org.hypnostream.stream.StreamProcessorMain;
import org.hypnostream.testkit.TopicReader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka SASL authentication and ACL authorisation against a real broker: the in-process KRaft broker gets a
 * SASL_PLAINTEXT listener with PLAIN, a SASL_SSL one (TLS with a self-signed certificate, then SASL) with PLAIN, and a
 * SASL_SSL one with SCRAM-SHA-512 (credentials created through the admin API), one user per service, and enforces ACLs
 * (StandardAuthorizer; no ACL = denied). Each service user gets exactly the ACLs that docs/PRODUCTION.md lists for it ({@link #acls}). Through the
 * {@code kafka.*} pass-through settings only ({@code kafka.security.protocol=SASL_PLAINTEXT} or {@code SASL_SSL} with
 * {@code kafka.ssl.truststore.*},
 * {@code kafka.sasl.mechanism}, {@code kafka.sasl.jaas.config}): the gateway delivers a 2-minute synthetic
 * night, the stream processor (spine and PLM, exactly-once) reads every block and writes epochs, the inference service
 * scores them (transactional, its group), the PLM topology consumes the stage events, and the dashboard's feed shows
 * them and writes an alarm acknowledgement. Refused: a wrong password (authentication), an authenticated user without
 * ACLs, a service writing a topic it has no ACL for, a service joining another service's group (authorisation).
 */
class KafkaSaslAclIT {
    private static final long BLOCKS = NightOverKafka.BLOCKS;
    private static final long EPOCHS = NightOverKafka.EPOCHS;
    private static final String GATEWAY = "gateway-1";
    private static final String STREAMS = "stream-processor";
    private static final String INFERENCE = "inference";
    private static final String DASHBOARD = "dashboard";
    private static final String INTRUDER = "intruder"; // authenticated, no ACLs

    @TempDir
    Path dir;
    /** SASL_PLAINTEXT or SASL_SSL: the listener and {@code kafka.security.protocol} of every client. */
    private String protocol;
    /** PLAIN or SCRAM-SHA-512: the listener's and every client's {@code sasl.mechanism}. */
    private String mechanism;
    /** With SASL_SSL: the clients' trust store settings. */
    private Map<String, String> trustSettings = Map.of();

    /**
     * The ACLs each service needs, as docs/PRODUCTION.md lists them (READ and WRITE imply DESCRIBE; WRITE on a topic
     * implies IdempotentWrite since Kafka 3.0, so no cluster ACL is needed).
     */
    static List<AclBinding> acls(String gateway, String streams, String inference, String dashboard) {
        List<AclBinding> a = new ArrayList<>();
        topics(a, gateway, WRITE, Topics.SAMPLES, Topics.ALERTS);

        topics(a, streams, READ, Topics.SAMPLES, Topics.STAGE_EVENTS, Topics.LEG_EVENTS, Topics.LEG_WINDOWS,
                Topics.ALERT_ACTIONS, Topics.BEDS, Topics.STUDY_EVENTS, Topics.ALERTS);
        topics(a, streams, WRITE, Topics.EEG_EPOCHS, Topics.LEG_WINDOWS, Topics.EMG_SEGMENTS, Topics.PLM_EVENTS,
                Topics.ALERTS, Topics.DEAD_LETTER, Topics.ALARM_NOTICES);
        for (String app : List.of(StreamProcessorApp.SPINE_APPLICATION_ID, StreamProcessorMain.PLM_APPLICATION_ID,
                StreamProcessorMain.ALARM_APPLICATION_ID)) {
            for (AclOperation op : List.of(CREATE, READ, WRITE)) { // its internal (changelog) topics
                a.add(allow(streams, TOPIC, app + "-", PREFIXED, op));
            }
            a.add(allow(streams, GROUP, app, LITERAL, READ));
            a.add(allow(streams, TRANSACTIONAL_ID, app + "-", PREFIXED, WRITE)); // <app>-<process id>-<thread>
        }

        topics(a, inference, READ, Topics.EEG_EPOCHS, Topics.LEG_WINDOWS, Topics.EMG_SEGMENTS, Topics.INFERENCE_STATE,
                Topics.STUDY_EVENTS, Topics.RESCORE_REQUESTS);
        topics(a, inference, WRITE, Topics.STAGE_EVENTS, Topics.LEG_EVENTS, Topics.NEUROMUSCULAR_EVENTS, Topics.ALERTS,
                Topics.DEAD_LETTER, Topics.INFERENCE_STATE, Topics.REVISED_STAGES);
        a.add(allow(inference, GROUP, InferenceConfig.GROUP_ID, LITERAL, READ));
        a.add(allow(inference, GROUP, InferenceConfig.RESCORE_GROUP_ID, LITERAL, READ)); // the re-score loop
        a.add(allow(inference, TRANSACTIONAL_ID, InferenceConfig.GROUP_ID + "-", PREFIXED, WRITE)); // + [rescore-]instance id

        topics(a, dashboard, READ, Topics.BEDS, Topics.STAGE_EVENTS, Topics.LEG_EVENTS, Topics.PLM_EVENTS, Topics.ALERTS,
                Topics.ALERT_ACTIONS, Topics.NEUROMUSCULAR_EVENTS, Topics.EEG_EPOCHS, Topics.EMG_SEGMENTS, Topics.STUDY_EVENTS,
                Topics.BEDSIDE_EVENTS, Topics.REVIEW_EVENTS, Topics.REVISED_STAGES, Topics.ALARM_NOTICES);
        topics(a, dashboard, WRITE, Topics.ALERT_ACTIONS, Topics.DEAD_LETTER, Topics.STUDY_EVENTS, Topics.BEDSIDE_EVENTS,
                Topics.REVIEW_EVENTS, Topics.RESCORE_REQUESTS);
        return a;
    }

    private static void topics(List<AclBinding> out, String user, AclOperation op, Topic<?, ?>... topics) {
        for (Topic<?, ?> t : topics) {
            out.add(allow(user, TOPIC, t.name(), LITERAL, op));
        }
    }

    private static AclBinding allow(String user, ResourceType type, String name, PatternType pattern, AclOperation op) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry("User:" + user, "*", op, AclPermissionType.ALLOW));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"SASL_PLAINTEXT, PLAIN", "SASL_SSL, PLAIN", "SASL_SSL, SCRAM-SHA-512"})
    void everyServiceWorksWithItsOwnUserAndAclsAndEverythingElseIsRefused(String protocol, String mechanism) throws Exception {
        String salt = Long.toHexString(System.nanoTime());
        Map<String, String> passwords = new HashMap<>();
        for (String user : List.of(GATEWAY, STREAMS, INFERENCE, DASHBOARD, INTRUDER)) {
            passwords.put(user, user + "-" + salt);
        }
        this.protocol = protocol;
        this.mechanism = mechanism;
        EmbeddedKafka.Sasl users = new EmbeddedKafka.Sasl(passwords, true, mechanism);
        SelfSigned.KafkaBroker cert = protocol.equals("SASL_SSL")
                ? SelfSigned.kafkaBroker(dir, "kafka-tls-" + Long.toHexString(System.nanoTime())) : null;
        trustSettings = cert == null ? Map.of() : cert.trustSettings();
        try (EmbeddedKafka kafka = cert != null ? EmbeddedKafka.startWithSaslSsl(dir.resolve("broker"), cert.tls(), users)
                : EmbeddedKafka.startWithSasl(dir.resolve("broker"), users)) {
            kafka.createTopics(1);
            List<AclBinding> acls = acls(GATEWAY, STREAMS, INFERENCE, DASHBOARD);
            kafka.createAcls(acls);
            String sasl = kafka.saslBootstrapServers();

            String[] dashboard = new String[1];
            NightOverKafka.Night night = NightOverKafka.run(kafka, dir, "sasl", settings(sasl, STREAMS, passwords.get(STREAMS)),
                    settings(sasl, INFERENCE, passwords.get(INFERENCE)), settings(sasl, GATEWAY, passwords.get(GATEWAY)),
                    () -> plmCommitted(kafka) > 0, () -> dashboard[0] = dashboardOverSasl(kafka, sasl, passwords));
            // read back over SASL as the stream processor's user (group-less, READ on samples.v1)
            long readBack = readCommitted(client(settings(sasl, STREAMS, passwords.get(STREAMS))), Topics.SAMPLES.name()).size();

            Throwable wrongPassword;
            try (Admin admin = Admin.create(client(settings(sasl, GATEWAY, passwords.get(GATEWAY) + "-wrong")))) {
                wrongPassword = catchThrowable(() -> admin.describeCluster().nodes().get(60, TimeUnit.SECONDS));
            }
            Throwable noAcl = refusedRead(sasl, INTRUDER, passwords.get(INTRUDER), null);
            Throwable foreignWrite;
            Map<String, Object> dashboardClient = client(settings(sasl, DASHBOARD, passwords.get(DASHBOARD)));
            try (var p = new KafkaProducer<>(dashboardClient, new StringSerializer(), new ByteArraySerializer())) {
                foreignWrite = catchThrowable(() -> p.send(new ProducerRecord<>(Topics.SAMPLES.name(), "bed-1", new byte[1]))
                        .get(60, TimeUnit.SECONDS));
            }
            Throwable foreignGroup = refusedRead(sasl, INFERENCE, passwords.get(INFERENCE), StreamProcessorApp.SPINE_APPLICATION_ID);

            System.out.printf("sasl: listener %s %s %s, %d ACLs; blocks=%d read_back=%d epochs=%d stage_events=%d"
                    + " plm_committed=%d dashboard=%s wrong_password=%s no_acl=%s dashboard_writes_samples=%s"
                    + " inference_joins_spine_group=%s%n", protocol, sasl, mechanism, acls.size(), night.delivered(), readBack,
                    night.epochs().size(), night.stageEvents().size(), plmCommitted(kafka), dashboard[0], verdict(wrongPassword), verdict(noAcl),
                    verdict(foreignWrite), verdict(foreignGroup));
            assertThat(night.delivered()).as("blocks delivered by the gateway over SASL").isEqualTo(BLOCKS);
            assertThat(readBack).as("blocks read back over SASL").isEqualTo(BLOCKS);
            assertThat(night.epochs()).as("epochs from the stream processor over SASL").hasSize((int) EPOCHS)
                    .allSatisfy(e -> assertThat(e.bedId()).isEqualTo("bed-1"));
            assertThat(night.stageEvents()).as("stage events from the inference service over SASL").hasSize((int) EPOCHS);
            assertThat(wrongPassword).as("wrong password").isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
            assertThat(noAcl).as("authenticated user without ACLs").isInstanceOf(TopicAuthorizationException.class);
            assertThat(foreignWrite).as("dashboard writing samples.v1").isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
            assertThat(foreignGroup).as("inference joining the spine's group").isInstanceOf(GroupAuthorizationException.class);
        }
    }

    /**
     * The dashboard as user {@code dashboard}: the feed shows the inference service's stage events, and acknowledging
     * an alert (raised here with the gateway's user, which may write alerts.v1) is written back (202 = Kafka
     * acknowledged). The bed is registered on beds.v1 by an operator (plaintext super user).
     */
    private String dashboardOverSasl(EmbeddedKafka kafka, String sasl, Map<String, String> passwords) throws Exception {
        Instant start = Instant.now();
        send(Map.of("bootstrap.servers", kafka.bootstrapServers()), Topics.BEDS,
                new BedInfo("bed-1", "ward-a", "Bed 1", start, List.of("Fpz-Cz"), "WASM2016"));
        send(client(settings(sasl, GATEWAY, passwords.get(GATEWAY))), Topics.ALERTS, new Alert("sasl-alert-1", "bed-1",
                false, "TEST_ALERT", AlertPriority.LOW, AlertState.ACTIVE, "test", start, start, null, null));
        DashboardOverKafka.Seen seen = DashboardOverKafka.feedAndAcknowledge(dir,
                settings(sasl, DASHBOARD, passwords.get(DASHBOARD)), EPOCHS, "sasl-alert-1", "SASL");
        return "feed_stages=" + seen.stages() + ",ack=" + seen.acknowledgeStatus();
    }

    /** The {@code kafka.*} settings of one service user; nothing else configures SASL (or TLS). */
    private Map<String, String> settings(String bootstrap, String user, String password) {
        Map<String, String> s = new HashMap<>(Map.of(
                "kafka.bootstrap.servers", bootstrap,
                "kafka.security.protocol", protocol,
                "kafka.sasl.mechanism", mechanism,
                "kafka.sasl.jaas.config", (mechanism.equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                        : "org.apache.kafka.common.security.scram.ScramLoginModule") + " required username=\"" + user
                        + "\" password=\"" + password + "\";"));
        s.putAll(trustSettings);
        return s;
    }

    /** A plain Kafka client's properties from {@code kafka.*} settings (prefix stripped). */
    private static Map<String, Object> client(Map<String, String> settings) {
        Map<String, Object> p = new HashMap<>();
        settings.forEach((k, v) -> p.put(k.substring("kafka.".length()), v));
        p.put("default.api.timeout.ms", 30_000);
        return p;
    }

    /**
     * Reads as {@code user}: group-less, the metadata of samples.v1; in {@code group}, eeg-epochs.v1 for 30 s.
     * Returns what refused it, or null.
     */
    private Throwable refusedRead(String sasl, String user, String password, String group) {
        Map<String, Object> c = client(settings(sasl, user, password));
        if (group != null) {
            c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        try (var consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
            return catchThrowable(() -> {
                if (group == null) {
                    consumer.partitionsFor(Topics.SAMPLES.name(), Duration.ofSeconds(30));
                } else {
                    consumer.subscribe(List.of(Topics.EEG_EPOCHS.name()));
                    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                    while (System.nanoTime() < deadline) {
                        consumer.poll(Duration.ofMillis(500));
                    }
                }
            });
        }
    }

    private static String verdict(Throwable t) {
        Throwable cause = t instanceof ExecutionException && t.getCause() != null ? t.getCause() : t;
        return cause == null ? "ACCEPTED" : "refused(" + cause.getClass().getSimpleName() + ")";
    }

    /** Offset the PLM topology committed on stage-events.v1 (0 = none yet). */
    private static long plmCommitted(EmbeddedKafka kafka) {
        try (Admin admin = kafka.admin()) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(StreamProcessorMain.PLM_APPLICATION_ID)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            OffsetAndMetadata o = offsets.get(new TopicPartition(Topics.STAGE_EVENTS.name(), 0));
            return o == null ? 0 : o.offset();
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot read the PLM topology's offsets: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static <V> void send(Map<String, Object> client, Topic<String, V> topic, V value) throws Exception {
        try (var p = new KafkaProducer<>(client, topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            p.send(new ProducerRecord<>(topic.name(), "bed-1", value)).get(30, TimeUnit.SECONDS);
        }
    }

    /** Every committed record of {@code topic} from its beginning to its end, read group-less. */
    static List<byte[]> readCommitted(Map<String, Object> client, String topic) {
        Map<String, String> settings = new HashMap<>();
        client.forEach((k, v) -> settings.put(k, String.valueOf(v)));
        String bootstrap = settings.remove(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        Map<TopicPartition, Long> end;
        try (Admin admin = Admin.create(client)) {
            end = EmbeddedKafka.settledEndOffsets(admin, topic, Duration.ofSeconds(60));
        }
        return TopicReader.at(bootstrap, settings).values(new Topic<>(topic, Serdes.String(), Serdes.ByteArray(), false), end);
    }
}
