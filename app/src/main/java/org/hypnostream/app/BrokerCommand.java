package org.hypnostream.app;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.hypnostream.broker.EmbeddedKafka;
import org.hypnostream.common.config.ConfigReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hypnostream broker}: a single-node KRaft Kafka broker on loopback with every topic created. */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = "Run a single-node KRaft Kafka broker (data dir reused across restarts) with all topics.")
final class BrokerCommand implements Callable<Integer> {
    @Option(names = "--data-dir", description = "Broker data directory (default: ${DEFAULT-VALUE}).",
            defaultValue = "var/broker")
    Path dataDir;

    @Option(names = "--port", description = "Client port (0 = free port; default ${DEFAULT-VALUE}).", defaultValue = "9092")
    int port;

    @Option(names = "--controller-port", description = "KRaft controller port (default ${DEFAULT-VALUE}).",
            defaultValue = "9093")
    int controllerPort;

    @Option(names = "--partitions", description = "Partitions per topic (default ${DEFAULT-VALUE}).", defaultValue = "4")
    int partitions;

    @Override
    public Integer call() {
        ConfigReader cfg = ConfigReader.fromEnvironment(Map.of());
        int p = cfg.intInRange("broker.port", port, 0, 65_535, "broker client port");
        int cp = cfg.intInRange("broker.controller.port", controllerPort, 0, 65_535, "KRaft controller port");
        int parts = cfg.intInRange("topics.partitions", partitions, 1, 10_000, "partitions per topic");
        Path dir = cfg.path("broker.data.dir", dataDir.toString(), "broker data directory");
        cfg.validate();
        EmbeddedKafka kafka = EmbeddedKafka.start(dir, p, cp, Map.of());
        kafka.createTopics(parts);
        Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "broker-shutdown"));
        System.out.println("Kafka broker listening on " + kafka.bootstrapServers() + " (data: " + dir.toAbsolutePath() + ")");
        kafka.awaitShutdown();
        return 0;
    }
}
