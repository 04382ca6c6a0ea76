package org.hypnostream.app;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaException;
import org.hypnostream.broker.EmbeddedKafka;
import org.hypnostream.common.config.ConfigReader;
import org.hypnostream.common.config.KafkaOverrides;
import org.hypnostream.common.topic.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code hypnostream create-topics}: creates every topic of the catalogue on an external cluster (idempotent). Its
 * admin client gets the same {@code kafka.*} pass-through settings (TLS, SASL) as every service.
 */
@Command(name = "create-topics", mixinStandardHelpOptions = true,
        description = {"Create every Hypnostream topic on a Kafka cluster (existing topics are left alone).",
            "Kafka client settings (TLS, SASL) pass through as for every service: kafka.<client property>, e.g."
                    + " HYPNOSTREAM_KAFKA_SECURITY_PROTOCOL=SASL_SSL or --set kafka.sasl.mechanism=SCRAM-SHA-512."
                    + " The user needs CREATE and DESCRIBE on the topics (docs/PRODUCTION.md).",
            "Exits with status 1 and the reason when the cluster is unreachable within "
                    + CreateTopicsCommand.API_TIMEOUT_MS + " ms (kafka.default.api.timeout.ms) or refuses the"
                    + " credentials or the ACLs."})
final class CreateTopicsCommand implements Callable<Integer> {
    /** Exit status when the topics could not be created (cluster unreachable, authentication or ACLs refused). */
    static final int FAILED_EXIT = 1;
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
        int partitions = r.intInRange("topics.partitions", 4, 1, 10_000, "partitions per topic (key = bed id)");
        r.validate();
        try (Admin admin = Admin.create(adminProperties(bootstrap, KafkaOverrides.fromEnvironment(overrides)))) {
            EmbeddedKafka.createTopics(admin, partitions, Topics.all());
        } catch (IllegalStateException | KafkaException e) {
            spec.commandLine().getErr().println("create-topics failed on " + bootstrap + ": " + e.getMessage()
                    + (timedOut(e) ? " (no answer in time: check kafka.bootstrap.servers, and that"
                            + " kafka.security.protocol and the SASL/TLS settings match that listener)" : ""));
            return FAILED_EXIT;
        }
        spec.commandLine().getOut().println("topics ready on " + bootstrap + " (" + Topics.all().size() + " topics)");
        return 0;
    }

    /** The admin client's properties: bounded timeouts, then the {@code kafka.*} settings, then the bootstrap servers. */
    static Map<String, Object> adminProperties(String bootstrap, Map<String, String> kafkaSettings) {
        Map<String, Object> p = new HashMap<>();
        if (!kafkaSettings.containsKey(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG)
                && !kafkaSettings.containsKey(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG)) {
            // both or neither: Kafka refuses an explicit default.api.timeout.ms below request.timeout.ms
            p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, REQUEST_TIMEOUT_MS);
            p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, API_TIMEOUT_MS);
        }
        p.putAll(kafkaSettings);
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return p;
    }

    private static boolean timedOut(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof org.apache.kafka.common.errors.TimeoutException
                    || c instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
        }
        return false;
    }
}
