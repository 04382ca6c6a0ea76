package org.hypnostream.bench.load;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.hypnostream.broker.EmbeddedKafka;
import org.hypnostream.common.config.ModelsFolder;
import org.hypnostream.common.event.JsonCodec;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.inference.service.InferenceConfig;
import org.hypnostream.stream.StreamProcessorApp;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hypnostream bench scale-out}: the stream processor and the inference service as 1, then 2 (or more)
 * separate JVMs each, against one broker with partitioned topics. For each instance count: a fresh broker, a backlog
 * of {@code --beds} x {@code --seconds} synthetic samples written first, then the services started and timed until
 * every epoch has its stage event; then each bed's epochs and stage events are checked to be in order.
 */
@Command(name = "scale-out", mixinStandardHelpOptions = true,
        description = "Throughput with 1 and 2 processes of stream-processor and inference on one broker; per-bed order check.")
final class BenchScaleOutCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--beds", defaultValue = "60", description = "Synthetic beds in the backlog (default ${DEFAULT-VALUE}).")
    int beds;

    @Option(names = "--seconds", defaultValue = "600", description = "Device seconds per bed in the backlog, a multiple of 30 (default ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--partitions", defaultValue = "4", description = "Partitions per topic (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--instances", defaultValue = "1,2", split = ",", description = "Instance counts to run, each on a fresh broker (default ${DEFAULT-VALUE}).")
    List<Integer> instances;

    @Option(names = "--timeout", defaultValue = "600", description = "Seconds each run may take at most (default ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--json", description = "Print one JSON object instead of the text summary.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (beds < 1 || beds > 10_000 || seconds < 30 || seconds % 30 != 0 || seconds > 86_400 || partitions < 1
                || partitions > 1000 || instances.isEmpty() || instances.stream().anyMatch(i -> i < 1 || i > partitions)
                || timeoutSeconds < 10) {
            throw new CommandLine.ParameterException(spec.commandLine(), "scale-out: need --beds 1-10000, --seconds a multiple of 30, "
                    + "--partitions 1-1000, each --instances 1..partitions, --timeout >= 10; got " + beds + ", " + seconds + ", "
                    + partitions + ", " + instances + ", " + timeoutSeconds);
        }
        ProcessMeter meter = new ProcessMeter();
        ObjectNode out = JsonCodec.mapper().createObjectNode();
        out.put("kind", "scale-out");
        out.put("beds", beds);
        out.put("seconds_per_bed", seconds);
        out.put("partitions", partitions);
        out.put("epochs_expected", (long) beds * (seconds / 30));
        out.put("processors", meter.processors());
        ArrayNode runs = out.putArray("runs");
        for (int n : instances) {
            System.err.printf("bench scale-out: %d instance(s) of each service, %d beds x %d s backlog ...%n", n, beds, seconds);
            runs.add(runOnce(n, meter));
        }
        System.out.println(json ? out.toString() : text(out));
        return 0;
    }

    private ObjectNode runOnce(int n, ProcessMeter meter) throws Exception {
        ObjectNode r = JsonCodec.mapper().createObjectNode();
        r.put("instances", n);
        r.put("load_average_before", LatencyStats.round(meter.loadAverage()));
        Path dir = Files.createTempDirectory("hypnostream-scaleout-");
        List<ChildService> children = new ArrayList<>();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("broker"))) {
            kafka.createTopics(partitions);
            String bootstrap = kafka.bootstrapServers();
            long t0 = System.nanoTime();
            long blocks = SampleLoader.load(bootstrap, beds, seconds, Instant.now().truncatedTo(ChronoUnit.SECONDS));
            r.put("backlog_blocks", blocks);
            r.put("backlog_write_s", LatencyStats.round((System.nanoTime() - t0) / 1e9));
            long expected = (long) beds * (seconds / 30);
            String models = ModelsFolder.resolve().toString();
            try (StageProbe probe = StageProbe.start(bootstrap); Admin admin = kafka.admin()) {
                long start = System.nanoTime();
                for (int i = 1; i <= n; i++) {
                    children.add(ChildService.start("stream-processor-" + i, List.of("stream-processor", "--bootstrap", bootstrap,
                            "--set", "stream.state.dir=" + dir.resolve("streams-" + i), "--set", "stream.metrics.port=0",
                            "--set", "stream.metrics.host=127.0.0.1"), "768m", dir.resolve("stream-processor-" + i + ".log")));
                    children.add(ChildService.start("inference-" + i, List.of("inference", "--bootstrap", bootstrap, "--device", "cpu",
                            "--set", "inference.instance.id=inference-" + i, "--set", "inference.metrics.port=-1",
                            "--set", "models.dir=" + Path.of(models).toAbsolutePath()), "768m", dir.resolve("inference-" + i + ".log")));
                }
                List<double[]> timeline = new ArrayList<>(); // t, epochs, stage events
                long deadline = start + TimeUnit.SECONDS.toNanos(timeoutSeconds);
                ObjectNode groups = null;
                while (probe.stageEvents() < expected && System.nanoTime() < deadline
                        && children.stream().allMatch(ChildService::isAlive)) {
                    TimeUnit.MILLISECONDS.sleep(250);
                    timeline.add(new double[] {(System.nanoTime() - start) / 1e9, probe.epochs(), probe.stageEvents()});
                    if (groups == null && probe.stageEvents() >= expected / 2) {
                        groups = groups(admin);
                    }
                }
                double total = (System.nanoTime() - start) / 1e9;
                r.put("complete", probe.stageEvents() >= expected && probe.epochs() >= expected);
                r.put("children_alive", children.stream().allMatch(ChildService::isAlive));
                r.put("epochs", probe.epochs());
                r.put("stage_events", probe.stageEvents());
                r.put("wall_s_from_start", LatencyStats.round(total));
                r.set("epochs_per_s", rates(timeline, 1, expected));
                r.set("stage_events_per_s", rates(timeline, 2, expected));
                r.put("load_average_after", LatencyStats.round(meter.loadAverage()));
                if (groups != null) {
                    r.set("group_assignments", groups);
                }
                ObjectNode cpu = r.putObject("child_cpu_s");
                for (ChildService c : children) {
                    cpu.put(c.name(), LatencyStats.round(c.cpu().toMillis() / 1000.0));
                }
                if (!r.get("complete").asBoolean()) {
                    ObjectNode logs = r.putObject("child_log_tails");
                    for (ChildService c : children) {
                        logs.put(c.name(), tail(dir.resolve(c.name() + ".log"), 1500));
                    }
                }
            }
            for (ChildService c : children) {
                c.close();
            }
            ArrayNode order = r.putArray("order");
            order.add(OrderCheck.check(bootstrap, Topics.EEG_EPOCHS, e -> e.index(), Duration.ofSeconds(120)).json());
            order.add(OrderCheck.check(bootstrap, Topics.STAGE_EVENTS, e -> e.epochIndex(), Duration.ofSeconds(120)).json());
        } finally {
            for (ChildService c : children) {
                c.close();
            }
            BenchPipelineCommand.deleteQuietly(dir);
        }
        return r;
    }

    /**
     * Throughput of one counter over the run: overall from the services' start (includes JVM start, group join and
     * model load) and steady, between 10 % and 90 % of the expected count.
     */
    private static ObjectNode rates(List<double[]> timeline, int col, long expected) {
        ObjectNode o = JsonCodec.mapper().createObjectNode();
        double t10 = Double.NaN;
        double t90 = Double.NaN;
        for (double[] s : timeline) {
            if (Double.isNaN(t10) && s[col] >= expected * 0.1) {
                t10 = s[0];
            }
            if (Double.isNaN(t90) && s[col] >= expected * 0.9) {
                t90 = s[0];
            }
        }
        double[] last = timeline.isEmpty() ? new double[] {0, 0, 0} : timeline.get(timeline.size() - 1);
        o.put("overall", LatencyStats.round(last[col] / Math.max(1e-9, last[0])));
        o.put("steady_10_90", Double.isNaN(t90) || t90 <= t10 ? 0 : LatencyStats.round(expected * 0.8 / (t90 - t10)));
        o.put("first_at_s", Double.isNaN(t10) ? -1 : LatencyStats.round(t10));
        return o;
    }

    private static String tail(Path file, int chars) {
        try {
            String t = Files.readString(file);
            return t.length() <= chars ? t : t.substring(t.length() - chars);
        } catch (java.io.IOException | RuntimeException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** Which member of each service's group holds which input partitions. */
    private static ObjectNode groups(Admin admin) {
        ObjectNode o = JsonCodec.mapper().createObjectNode();
        try {
            Map<String, ConsumerGroupDescription> d = admin.describeConsumerGroups(
                    List.of(StreamProcessorApp.SPINE_APPLICATION_ID, InferenceConfig.GROUP_ID)).all().get(10, TimeUnit.SECONDS);
            d.forEach((g, desc) -> {
                ArrayNode members = o.putArray(g);
                for (MemberDescription m : desc.members()) {
                    members.add(m.clientId() + ": " + m.assignment().topicPartitions().stream()
                            .map(tp -> tp.topic() + "-" + tp.partition()).sorted().toList());
                }
            });
        } catch (Exception e) {
            o.put("error", e.toString());
        }
        return o;
    }

    private static String text(ObjectNode out) {
        StringBuilder b = new StringBuilder("scale-out: " + out.get("beds") + " beds x " + out.get("seconds_per_bed") + " s backlog, "
                + out.get("partitions") + " partitions, " + out.get("epochs_expected") + " epochs\n");
        out.get("runs").forEach(r -> {
            b.append(String.format("  %d instance(s): complete %s, epochs/s %s (steady %s), stage events/s %s (steady %s), %s s; order: ",
                    r.get("instances").asInt(), r.get("complete"), r.path("epochs_per_s").path("overall"),
                    r.path("epochs_per_s").path("steady_10_90"), r.path("stage_events_per_s").path("overall"),
                    r.path("stage_events_per_s").path("steady_10_90"), r.get("wall_s_from_start")));
            r.path("order").forEach(o -> b.append(o.get("topic").asText()).append(' ').append(o.get("ordered").asBoolean() ? "ordered" : "BROKEN " + o.get("broken")).append("; "));
            b.append(String.format("load %s -> %s%n", r.get("load_average_before"), r.get("load_average_after")));
        });
        return b.toString();
    }
}
