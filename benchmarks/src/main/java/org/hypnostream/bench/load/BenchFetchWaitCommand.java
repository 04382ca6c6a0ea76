package org.hypnostream.bench.load;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.NewTopic;
import org.hypnostream.broker.EmbeddedKafka;
import org.hypnostream.common.event.JsonCodec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hypnostream bench fetch-wait}: whether a read_committed reader parked with a longer
 * {@code fetch.max.wait.ms} receives a transactional writer's records later (see {@link FetchWaitProbe}), on an
 * embedded broker.
 */
@Command(name = "fetch-wait", mixinStandardHelpOptions = true,
        description = "Commit -> receipt latency of read_committed consumers with different fetch.max.wait.ms.")
final class BenchFetchWaitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--transactions", defaultValue = "200", description = "One-record transactions to commit (default ${DEFAULT-VALUE}).")
    int transactions;

    @Option(names = "--max-gap-ms", defaultValue = "600", description = "Longest random pause before a transaction, ms (default ${DEFAULT-VALUE}).")
    int maxGapMillis;

    @Option(names = "--waits", defaultValue = "50,500", split = ",", description = "fetch.max.wait.ms of the readers (default ${DEFAULT-VALUE}).")
    int[] waits;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the random pauses (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", description = "Print one JSON object instead of the text summary.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (transactions < 1 || transactions > 100_000 || maxGapMillis < 0 || maxGapMillis > 60_000
                || Arrays.stream(waits).anyMatch(w -> w < 0 || w > 60_000)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "bench fetch-wait: --transactions must be 1-100000, "
                    + "--max-gap-ms 0-60000, --waits 0-60000 each; got " + transactions + ", " + maxGapMillis + ", "
                    + Arrays.toString(waits));
        }
        Path dir = Files.createTempDirectory("hypnostream-bench-fetch-wait-");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("broker"))) {
            String topic = "fetch-wait";
            try (var admin = kafka.admin()) {
                admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
            }
            FetchWaitProbe.Result r = FetchWaitProbe.run(kafka.bootstrapServers(), topic, waits, transactions,
                    maxGapMillis, seed);
            ObjectNode j = JsonCodec.mapper().createObjectNode();
            j.put("kind", "fetch-wait");
            j.put("transactions", r.transactions());
            j.put("max_gap_ms", maxGapMillis);
            j.put("complete", r.complete());
            j.set("commit_call", r.commitCall().json());
            ObjectNode per = j.putObject("commit_to_receipt");
            StringBuilder text = new StringBuilder(String.format("fetch-wait: %d transactions, pauses 0-%d ms, commit call %s%n",
                    r.transactions(), maxGapMillis, BenchText.latency(r.commitCall().json())));
            for (int w : waits) {
                LatencyStats s = r.waits().get(w);
                per.set(Integer.toString(w), s.json());
                text.append(String.format("  fetch.max.wait.ms %d: commit -> receipt %s%n", w, BenchText.latency(s.json())));
            }
            System.out.print(json ? j + System.lineSeparator() : text);
            return r.complete() ? 0 : 1;
        } finally {
            BenchPipelineCommand.deleteQuietly(dir);
        }
    }
}
