package org.hypnostream.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.hypnostream.common.config.ConfigException;
import org.hypnostream.common.config.ConfigReader;
import org.hypnostream.common.config.KafkaClients;
import org.hypnostream.common.config.KafkaOverrides;
import org.hypnostream.common.topic.Topic;
import org.hypnostream.common.topic.TopicProvisioner;
import org.hypnostream.common.topic.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code hypnostream create-topics}: creates every topic of the catalogue on an external cluster (idempotent). Its
 * admin client gets the same {@code kafka.*} pass-through settings (TLS, SASL) as every service; the topic layout
 * (partitions, replication factor, min.insync.replicas) comes from the {@code topics.*} keys ({@link TopicSettings}).
 */
@Command(name = "create-topics", mixinStandardHelpOptions = true,
        description = {"Create every Hypnostream topic on a Kafka cluster (existing topics are left alone, their"
                + " replication factor and configs included; the ones that differ from the settings are named).",
            "Topic layout (HYPNOSTREAM_TOPICS_* or --set topics.*=..., docs/PRODUCTION.md):",
            "  topics.partitions          default 4; at least the most instances of a service",
            "  topics.replication.factor  default 1; 3 on a production cluster (<= brokers)",
            "  topics.min.insync.replicas default: the broker's; 2 with replication factor 3",
            "  e.g. --set topics.replication.factor=3 --set topics.min.insync.replicas=2",
            "Kafka client settings (TLS, SASL) pass through as for every service: kafka.<client property>, e.g."
                    + " HYPNOSTREAM_KAFKA_SECURITY_PROTOCOL=SASL_SSL or --set kafka.sasl.mechanism=SCRAM-SHA-512."
                    + " The user needs CREATE and DESCRIBE on the topics, and DESCRIBE_CONFIGS to compare existing"
                    + " ones with the settings (docs/PRODUCTION.md).",
            "Exits with status 2 and every problem, before contacting Kafka, when a setting is invalid; with"
                    + " status 1 and the reason when the cluster is unreachable within "
                    + CreateTopicsCommand.API_TIMEOUT_MS + " ms (kafka.default.api.timeout.ms), refuses the"
                    + " credentials or the ACLs, or has fewer brokers than the replication factor."})
final class CreateTopicsCommand implements Callable<Integer> {
    /**
     * Exit status when the topics could not be created (cluster unreachable, authentication or ACLs refused, a
     * replication factor above the number of brokers).
     */
    static final int FAILED_EXIT = 1;
    /** Exit status when a setting is invalid (nothing was sent to Kafka). */
    static final int INVALID_SETTINGS_EXIT = 2;
    /**
     * Admin timeouts unless {@code kafka.*} sets either: a wrong address or a protocol that does not match the
     * listener (plaintext client, SASL listener) gets no answer at all, so each call gives up after this long.
     */
    static final int REQUEST_TIMEOUT_MS = 15_000;
    static final int API_TIMEOUT_MS = 20_000;

    @Mixin
    ServiceOptions service;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Map<String, String> overrides = service.overrides();
        ConfigReader r = ConfigReader.fromEnvironment(overrides);
        String bootstrap = r.string("kafka.bootstrap.servers", "127.0.0.1:9092", "Kafka bootstrap servers");
        TopicSettings topics = TopicSettings.fromEnvironment(r);
        try {
            r.validate();
        } catch (ConfigException e) {
            spec.commandLine().getErr().println("create-topics not started: " + e.getMessage());
            return INVALID_SETTINGS_EXIT;
        }
        try (Admin admin = Admin.create(adminProperties(bootstrap, KafkaOverrides.fromEnvironment(overrides)))) {
            TopicProvisioner.createTopics(admin, topics.partitions(), topics.replicationFactor(), topics.topicConfigs(),
                    Topics.all());
            warnAboutDifferences(admin, topics);
        } catch (IllegalStateException | KafkaException e) {
            spec.commandLine().getErr().println("create-topics failed on " + bootstrap + ": " + e.getMessage()
                    + (timedOut(e) ? " (no answer in time: check kafka.bootstrap.servers, and that"
                            + " kafka.security.protocol and the SASL/TLS settings match that listener)" : "")
                    + (causedBy(e, InvalidReplicationFactorException.class) ? " (" + TopicSettings.REPLICATION_FACTOR
                            + "=" + topics.replicationFactor() + " needs at least that many brokers)" : ""));
            return FAILED_EXIT;
        }
        spec.commandLine().getOut().println("topics ready on " + bootstrap + " (" + Topics.all().size()
                + " topics; missing ones created with " + topics.partitions() + " partitions, replication factor "
                + topics.replicationFactor() + ", min.insync.replicas " + (topics.minInsyncReplicas().isPresent()
                        ? topics.minInsyncReplicas().getAsInt() : "of the broker") + ")");
        return 0;
    }

    /**
     * Existing topics are left as they are: say which differ from the settings (a rerun with replication factor 3
     * over topics created with 1 changes nothing). Best effort: without DESCRIBE_CONFIGS it says it could not compare.
     */
    private void warnAboutDifferences(Admin admin, TopicSettings topics) {
        List<String> names = Topics.all().stream().map(Topic::name).toList();
        List<String> differ = new ArrayList<>();
        try {
            Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames()
                    .get(API_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            Map<ConfigResource, Config> configs = admin.describeConfigs(names.stream()
                    .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList()).all()
                    .get(API_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            for (String n : names) {
                TopicDescription d = described.get(n);
                ConfigEntry minIsr = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, n))
                        .get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
                List<String> diff = topics.differences(d.partitions().size(), d.partitions().get(0).replicas().size(),
                        minIsr == null ? -1 : Integer.parseInt(minIsr.value()));
                if (!diff.isEmpty()) {
                    differ.add(n + ": " + String.join(", ", diff));
                }
            }
        } catch (ExecutionException | TimeoutException | KafkaException | NumberFormatException e) {
            spec.commandLine().getErr().println("create-topics: could not compare the existing topics with the settings: "
                    + (e instanceof ExecutionException ? e.getCause() : e));
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (!differ.isEmpty()) {
            spec.commandLine().getErr().println("create-topics: " + differ.size() + " existing topics differ from the"
                    + " settings and were left as they are (change them with kafka-topics --alter,"
                    + " kafka-configs or kafka-reassign-partitions): " + String.join("; ", differ));
        }
    }

    /** The admin client's properties: bounded timeouts, then the {@code kafka.*} settings, then the bootstrap servers. */
    static Map<String, Object> adminProperties(String bootstrap, Map<String, String> kafkaSettings) {
        return KafkaClients.admin(bootstrap, kafkaSettings, REQUEST_TIMEOUT_MS, API_TIMEOUT_MS);
    }

    private static boolean timedOut(Throwable e) {
        return causedBy(e, org.apache.kafka.common.errors.TimeoutException.class)
                || causedBy(e, java.util.concurrent.TimeoutException.class);
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }
}
