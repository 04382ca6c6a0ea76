package org.hypnostream.bench.load;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.hypnostream.broker.EmbeddedKafka;
import org.hypnostream.common.config.KafkaClients;
import org.hypnostream.common.event.BedInfo;
import org.hypnostream.common.event.JsonCodec;
import org.hypnostream.common.event.Provenance;
import org.hypnostream.common.event.Stage;
import org.hypnostream.common.event.StageEvent;
import org.hypnostream.common.time.Micros;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.dashboard.DashboardConfig;
import org.hypnostream.dashboard.DashboardMain;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hypnostream bench push}: the dashboard's push latency alone, from a stage event produced to Kafka to each
 * ward websocket client receiving it, at several client counts. An embedded broker, the dashboard and the clients
 * share this JVM and the machine's cores, so the figures are an upper bound for the dashboard alone. (It was the
 * print-only test {@code PushLatencyBench} of dashboard-api.)
 */
@Command(name = "push", mixinStandardHelpOptions = true,
        description = "Dashboard push latency: stage event produced -> received by N ward websocket clients.")
final class BenchPushCommand implements Callable<Integer> {
    private static final Instant START = Instant.parse("2026-11-20T22:00:00Z");
    private static final Provenance STAGER = Provenance.model("bench-push", "ab".repeat(32), "CPU");
    private static final String BED = "bed-1";

    @Spec
    CommandSpec spec;

    @Option(names = "--clients", split = ",", defaultValue = "100,1000",
            description = "Client counts, one round each (default ${DEFAULT-VALUE}).")
    List<Integer> clients;

    @Option(names = "--events", defaultValue = "200", description = "Stage events per round; rounds of 1000 clients or more "
            + "send half as many, at least 1 (default ${DEFAULT-VALUE}).")
    int events;

    @Option(names = "--rate", defaultValue = "20", description = "Stage events produced per second (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--json", description = "Print one JSON object instead of the text summary.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (clients.isEmpty() || clients.stream().anyMatch(c -> c < 1 || c > 5000) || events < 1 || events > 100_000
                || !(rate > 0 && rate <= 1000)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "bench push: --clients must be 1-5000 each, "
                    + "--events 1-100000, --rate > 0 and <= 1000; got " + clients + ", " + events + ", " + rate);
        }
        Path dir = Files.createTempDirectory("hypnostream-bench-push-");
        ObjectNode out = JsonCodec.mapper().createObjectNode();
        out.put("kind", "push");
        out.put("rate_per_s", rate);
        ArrayNode rounds = out.putArray("rounds");
        boolean complete = true;
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("broker"))) {
            kafka.createTopics(1);
            DashboardConfig.DemoLogin login = DashboardConfig.demo(dir.resolve("dashboard"), kafka.bootstrapServers(), 0);
            int most = clients.stream().mapToInt(Integer::intValue).max().orElseThrow();
            // the demo's users file; as many sockets per user, and handshakes per second, as the largest round opens
            DashboardConfig cfg = new DashboardConfig(kafka.bootstrapServers(), "127.0.0.1", 0, login.config().usersFile(),
                    null, null, Duration.ofHours(1), Duration.ofSeconds(60), 100, 100_000, most + 10);
            Map<String, Object> p = KafkaClients.client(kafka.bootstrapServers(), Map.of());
            p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
            try (KafkaProducer<String, BedInfo> beds = new KafkaProducer<>(p, Topics.BEDS.keySerde().serializer(),
                    Topics.BEDS.valueSerde().serializer());
                    KafkaProducer<String, StageEvent> producer = new KafkaProducer<>(p, Topics.STAGE_EVENTS.keySerde().serializer(),
                            Topics.STAGE_EVENTS.valueSerde().serializer());
                    DashboardMain dashboard = DashboardMain.start(cfg)) {
                beds.send(new ProducerRecord<>(Topics.BEDS.name(), BED, new BedInfo(BED, login.ward(), "Bed 1", START,
                        List.of("Fpz-Cz", "Pz-Oz", "EOG", "LAT", "RAT"), "WASM2016"))).get(30, TimeUnit.SECONDS);
                long epoch = 0;
                for (int n : clients) {
                    int k = n >= 1000 ? Math.max(1, events / 2) : events;
                    ObjectNode round = round(producer, dashboard.port(), login, n, epoch, k);
                    complete &= round.get("complete").asBoolean();
                    rounds.add(round);
                    epoch += k;
                }
            }
        } finally {
            BenchPipelineCommand.deleteQuietly(dir);
        }
        out.put("complete", complete);
        System.out.println(json ? out.toString() : text(out));
        return complete ? 0 : 1;
    }

    /** One round: {@code n} clients connected, {@code k} stage events produced at {@link #rate}, every receipt timed. */
    private ObjectNode round(KafkaProducer<String, StageEvent> producer, int port, DashboardConfig.DemoLogin login, int n,
            long first, int k) throws Exception {
        long[] sentMicros = new long[k];
        try (WardClients ws = WardClients.connect(port, login.user(), login.password(), login.ward(), n)) {
            long periodNanos = Math.round(1e9 / rate);
            long next = System.nanoTime();
            for (int e = 0; e < k; e++) {
                LockSupport.parkNanos(next - System.nanoTime()); // pacing, not waiting for work
                next += periodNanos;
                sentMicros[e] = Micros.of(Instant.now());
                producer.send(new ProducerRecord<>(Topics.STAGE_EVENTS.name(), BED, stage(first + e)));
            }
            producer.flush();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (delivered(ws, first, k) < (long) n * k && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(50);
            }
            List<Long> lat = new ArrayList<>();
            for (WardClients.Receipt r : ws.receipts()) {
                if (BED.equals(r.bed()) && r.epoch() >= first && r.epoch() < first + k) {
                    lat.add(r.receivedMicros() - sentMicros[(int) (r.epoch() - first)]);
                }
            }
            ObjectNode o = JsonCodec.mapper().createObjectNode();
            o.put("clients", n);
            o.put("events", k);
            o.put("deliveries", lat.size());
            o.put("deliveries_expected", (long) n * k);
            o.put("complete", lat.size() == (long) n * k);
            o.put("closed_by_server", ws.closedByServer());
            o.set("latency", LatencyStats.ofMicros(lat.stream().mapToLong(Long::longValue).toArray()).json());
            return o;
        }
    }

    private static long delivered(WardClients ws, long first, int k) {
        return ws.receipts().stream().filter(r -> BED.equals(r.bed()) && r.epoch() >= first && r.epoch() < first + k).count();
    }

    /** Epoch {@code i} of a plausible cycle, scored. */
    static StageEvent stage(long i) {
        Instant s = START.plus(Duration.ofSeconds(30 * i));
        List<Stage> cycle = List.of(Stage.W, Stage.N1, Stage.N2, Stage.N2, Stage.N3, Stage.N3, Stage.N2, Stage.REM);
        Stage st = cycle.get((int) ((i / 3) % cycle.size()));
        Double[] p = new Double[Stage.SCORED.size()];
        Arrays.fill(p, 0.05);
        p[Stage.SCORED.indexOf(st)] = 0.8;
        return new StageEvent(BED, i, s, s.plusSeconds(30), st, List.of(p), false, null, java.util.Set.of(), STAGER,
                s.plusSeconds(31), 800, 0);
    }

    static String text(ObjectNode out) {
        StringBuilder b = new StringBuilder("PUSH LATENCY (event produced -> websocket received)");
        for (var r : out.get("rounds")) {
            b.append(String.format("%nclients=%d events=%d deliveries=%d/%d complete=%s %s", r.get("clients").asInt(),
                    r.get("events").asInt(), r.get("deliveries").asLong(), r.get("deliveries_expected").asLong(),
                    r.get("complete").asBoolean(), BenchText.latency(r.get("latency"))));
        }
        return b.toString();
    }
}
