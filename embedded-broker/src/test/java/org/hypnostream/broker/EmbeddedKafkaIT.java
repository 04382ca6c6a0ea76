package org.hypnostream.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.hypnostream.common.topic.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaIT {

    @TempDir
    Path dir;

    @Test
    void topicsSurviveARestartAndTransactionsWorkOnOneNode() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir)) {
            kafka.createTopics(2);
            try (var admin = kafka.admin()) {
                assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS))
                        .contains(Topics.SAMPLES.name(), Topics.STAGE_EVENTS.name(), Topics.BEDS.name());
            }
            String topic = Topics.DEAD_LETTER.name();
            try (var p = new KafkaProducer<String, String>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ProducerConfig.TRANSACTIONAL_ID_CONFIG, "it-tx"), new StringSerializer(), new StringSerializer())) {
                p.initTransactions();
                p.beginTransaction();
                p.send(new ProducerRecord<>(topic, "bed-1", "committed"));
                p.commitTransaction();
                p.beginTransaction();
                p.send(new ProducerRecord<>(topic, "bed-1", "aborted"));
                p.abortTransaction();
            }
            kafka.stop();
            assertThat(kafka.isRunning()).isFalse();
            kafka.restart();
            kafka.createTopics(2);
            assertThat(readAll(kafka.bootstrapServers(), topic)).containsExactly("committed");
        }
    }

    @Test
    void saslListenerAuthenticatesItsUsersAndEnforcesTheirAcls() throws Exception {
        String password = "pw-" + Long.toHexString(System.nanoTime());
        try (EmbeddedKafka kafka = EmbeddedKafka.startWithSasl(dir, new EmbeddedKafka.Sasl(
                Map.of("alice", password, "bob", password), true))) {
            kafka.createTopics(1);
            String topic = Topics.DEAD_LETTER.name();
            kafka.createAcls(List.of(new AclBinding(new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL),
                    new AccessControlEntry("User:alice", "*", AclOperation.WRITE, AclPermissionType.ALLOW))));

            try (var p = new KafkaProducer<String, String>(sasl(kafka, "alice", password), new StringSerializer(),
                    new StringSerializer())) {
                p.send(new ProducerRecord<>(topic, "bed-1", "over sasl")).get(30, TimeUnit.SECONDS);
            }
            try (var c = new KafkaConsumer<String, String>(sasl(kafka, "bob", password), new StringDeserializer(),
                    new StringDeserializer())) {
                assertThatThrownBy(() -> c.partitionsFor(topic, Duration.ofSeconds(30))).as("bob has no ACL")
                        .isInstanceOf(TopicAuthorizationException.class);
            }
            try (Admin admin = Admin.create(sasl(kafka, "alice", password + "-wrong"))) {
                assertThatThrownBy(() -> admin.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                        .as("wrong password").hasCauseInstanceOf(SaslAuthenticationException.class);
            }
            assertThat(readAll(kafka.bootstrapServers(), topic)).as("read on the plaintext (super user) listener")
                    .containsExactly("over sasl");
            assertThat(new EmbeddedKafka.Sasl(Map.of("alice", password), false).toString()).doesNotContain(password);
        }
    }

    private static Map<String, Object> sasl(EmbeddedKafka kafka, String user, String password) {
        return Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.saslBootstrapServers(),
                CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT",
                SaslConfigs.SASL_MECHANISM, "PLAIN",
                SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                        + user + "\" password=\"" + password + "\";",
                CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
    }

    private static List<String> readAll(String bootstrap, String topic) {
        List<String> out = new ArrayList<>();
        try (var c = new KafkaConsumer<String, String>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "it-reader",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new StringDeserializer())) {
            c.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline && out.isEmpty()) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
                    out.add(r.value());
                }
            }
            // drain anything else that is already there
            for (ConsumerRecord<String, String> r : c.poll(Duration.ofSeconds(1))) {
                out.add(r.value());
            }
        }
        return out;
    }
}
