package org.hypnostream.bench.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.hypnostream.broker.EmbeddedKafka;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hypnostream bench kafka}: the synthetic montage's real encoded blocks produced and consumed through an
 * embedded broker with no processing, at a given rate or (0) as fast as it goes: the ceiling.
 */
@Command(name = "kafka", mixinStandardHelpOptions = true,
        description = "Raw Kafka ceiling: the same encoded sample blocks produced and consumed, no processing.")
final class BenchKafkaCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--bytes-per-second", defaultValue = "0", description = "Target rate, 0 = as fast as possible (default ${DEFAULT-VALUE}).")
    double bytesPerSecond;

    @Option(names = "--duration", defaultValue = "20", description = "Seconds of producing (default ${DEFAULT-VALUE}).")
    double durationSeconds;

    @Option(names = "--partitions", defaultValue = "4", description = "Partitions of the topic (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--json", description = "Print one JSON object instead of the text summary.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (!(bytesPerSecond >= 0) || !(durationSeconds >= 1 && durationSeconds <= 3600) || partitions < 1 || partitions > 1000) {
            throw new CommandLine.ParameterException(spec.commandLine(), "bench kafka: --bytes-per-second must be >= 0, --duration 1-3600 s, --partitions 1-1000; got "
                    + bytesPerSecond + ", " + durationSeconds + ", " + partitions);
        }
        Path dir = Files.createTempDirectory("hypnostream-bench-kafka-");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("broker")); Admin admin = kafka.admin()) {
            Montage m = Montage.measure();
            KafkaCeiling.Result r = KafkaCeiling.run(kafka.bootstrapServers(), admin, partitions,
                    m.ceilingLoad(64), bytesPerSecond, Duration.ofMillis(Math.round(durationSeconds * 1000)));
            var j = r.json();
            j.put("kind", "kafka");
            j.put("partitions", partitions);
            j.put("bytes_per_bed_second", Math.round(m.bytesPerBlock() * m.blocksPerSecond()));
            j.put("beds_equivalent", Math.round(r.consumedBytesPerSecond() / (m.bytesPerBlock() * m.blocksPerSecond())));
            System.out.println(json ? j.toString() : String.format(
                    "kafka: %,d records, %,d bytes in %.1f s: produced %,d bytes/s, consumed %,d bytes/s (~%d beds), complete %s%n  produce->consume %s",
                    r.records(), r.bytes(), r.seconds(), Math.round(r.producedBytesPerSecond()), Math.round(r.consumedBytesPerSecond()),
                    j.get("beds_equivalent").asLong(), r.complete(), BenchText.latency(j.get("produce_to_consume_latency"))));
            return r.complete() ? 0 : 1;
        } finally {
            BenchPipelineCommand.deleteQuietly(dir);
        }
    }
}
