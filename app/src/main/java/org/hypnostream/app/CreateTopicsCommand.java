package org.hypnostream.app;

import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.hypnostream.broker.EmbeddedKafka;
import org.hypnostream.common.config.ConfigReader;
import org.hypnostream.common.topic.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code hypnostream create-topics}: creates every topic of the catalogue on an external cluster (idempotent). */
@Command(name = "create-topics", mixinStandardHelpOptions = true,
        description = "Create every Hypnostream topic on a Kafka cluster (existing topics are left alone).")
final class CreateTopicsCommand implements Callable<Integer> {
    @Mixin
    ServiceOptions service;

    @Override
    public Integer call() {
        ConfigReader r = ConfigReader.fromEnvironment(service.overrides());
        String bootstrap = r.string("kafka.bootstrap.servers", "127.0.0.1:9092", "Kafka bootstrap servers");
        int partitions = r.intInRange("topics.partitions", 4, 1, 10_000, "partitions per topic (key = bed id)");
        r.validate();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            EmbeddedKafka.createTopics(admin, partitions, Topics.all());
        }
        System.out.println("topics ready on " + bootstrap + " (" + Topics.all().size() + " topics)");
        return 0;
    }
}
