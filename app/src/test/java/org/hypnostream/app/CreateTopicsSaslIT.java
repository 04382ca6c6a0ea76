package org.hypnostream.app;

import static org.apache.kafka.common.acl.AclOperation.CREATE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE_CONFIGS;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.hypnostream.broker.EmbeddedKafka;
import org.hypnostream.common.topic.Topic;
import org.hypnostream.common.topic.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hypnostream create-topics} against a real SASL_PLAINTEXT listener (PLAIN) that enforces ACLs: with the
 * {@code kafka.*} SASL settings of a user holding CREATE, DESCRIBE and DESCRIBE_CONFIGS on the topics it creates every
 * topic of the catalogue, and a second run leaves them alone (and finds nothing that differs); without the settings (a plaintext client on the SASL listener gets no
 * answer) or with a wrong password it exits with status 1 and says why, within its admin timeout, creating nothing.
 */
class CreateTopicsSaslIT {
    private static final String ADMIN = "topic-admin";
    /** Far above the command's own bound (a 20-s admin timeout): reaching it means the command hangs. */

    @TempDir
    Path dir;

    /**
     * What the topic creator needs (docs/PRODUCTION.md section 2): CREATE and DESCRIBE on each topic, and DESCRIBE_CONFIGS
     * to compare existing topics with its settings.
     */
    static List<AclBinding> acls(String user) {
        List<AclBinding> a = new ArrayList<>();
        for (Topic<String, ?> t : Topics.all()) {
            for (AclOperation op : List.of(CREATE, DESCRIBE, DESCRIBE_CONFIGS)) {
                a.add(new AclBinding(new ResourcePattern(ResourceType.TOPIC, t.name(), PatternType.LITERAL),
                        new AccessControlEntry("User:" + user, "*", op, AclPermissionType.ALLOW)));
            }
        }
        return a;
    }

    @Test
    void createsEveryTopicWithTheSaslSettingsAndFailsClearlyWithoutThem() throws Exception {
        String password = ADMIN + "-" + Long.toHexString(System.nanoTime());
        try (EmbeddedKafka kafka = EmbeddedKafka.startWithSasl(dir.resolve("broker"),
                new EmbeddedKafka.Sasl(Map.of(ADMIN, password), true))) {
            kafka.createAcls(acls(ADMIN));
            String sasl = kafka.saslBootstrapServers();

            CreateTopicsRun plain = CreateTopicsRun.of("--bootstrap", sasl, "--set", "topics.partitions=2");
            CreateTopicsRun wrongPassword = CreateTopicsRun.of(withSasl(sasl, password + "-wrong"));
            Set<String> afterFailures = topicNames(kafka);
            CreateTopicsRun created = CreateTopicsRun.of(withSasl(sasl, password));
            CreateTopicsRun again = CreateTopicsRun.of(withSasl(sasl, password));
            Set<String> topics = topicNames(kafka);

            System.out.printf("create-topics over sasl: without kafka.* settings status=%d (%s); wrong password"
                    + " status=%d (%s); with them status=%d (%s), again status=%d; topics=%d of %d%n", plain.status(),
                    plain.err().strip(), wrongPassword.status(), wrongPassword.err().strip(), created.status(),
                    created.out().strip(), again.status(), topics.size(), Topics.all().size());
            assertThat(plain.status()).as("exit status without SASL settings").isEqualTo(1);
            assertThat(plain.err()).as("reason without SASL settings").contains("create-topics failed on " + sasl)
                    .contains("kafka.security.protocol");
            assertThat(wrongPassword.status()).as("exit status with a wrong password").isEqualTo(1);
            assertThat(wrongPassword.err()).as("reason with a wrong password").contains("Authentication failed");
            assertThat(afterFailures).as("topics after the failed runs").isEmpty();
            assertThat(created.status()).as("exit status with the SASL settings; stderr: %s", created.err()).isZero();
            assertThat(created.out()).contains("topics ready on " + sasl);
            assertThat(again.status()).as("second run (topics exist); stderr: %s", again.err()).isZero();
            assertThat(again.err()).as("second run, same settings: compared, nothing differs").isBlank();
            assertThat(topics).containsExactlyInAnyOrderElementsOf(Topics.all().stream().map(Topic::name).toList());
        }
    }

    /** SASL through {@code kafka.*} settings only, as an operator would pass them. */
    private static String[] withSasl(String bootstrap, String password) {
        return new String[] {"--bootstrap", bootstrap, "--set", "topics.partitions=2",
            "--set", "kafka.security.protocol=SASL_PLAINTEXT", "--set", "kafka.sasl.mechanism=PLAIN",
            "--set", "kafka.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required"
                    + " username=\"" + ADMIN + "\" password=\"" + password + "\";"};
    }

    /** Topic names as the broker's super user (plaintext listener) sees them. */
    private static Set<String> topicNames(EmbeddedKafka kafka) throws Exception {
        try (Admin admin = kafka.admin()) {
            return admin.listTopics().names().get(30, TimeUnit.SECONDS);
        }
    }
}
