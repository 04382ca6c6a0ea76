package org.hypnostream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.hypnostream.broker.EmbeddedKafka;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.ingest.source.Pacing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * (c) a gateway in a child JVM is killed abruptly (SIGKILL) mid-run; a new gateway on the same outbox relays what
 * was journaled but not acknowledged: every (source, seq) reaches Kafka at least once and the distinct seqs are
 * gap-free; duplicates (re-sent blocks) are counted and reported.
 */
class GatewayKillIT {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayKillIT.class);
    @TempDir
    Path tmp;

    @Test
    void killedGatewayLosesNothing() throws IOException, InterruptedException {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(tmp.resolve("kafka"))) {
            kafka.createTopics(2);
            Path outbox = tmp.resolve("outbox");
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(jvmFlags());
            cmd.add("-Xmx512m");
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(GatewayChild.class.getName());
            cmd.addAll(List.of(kafka.bootstrapServers(), outbox.toString(), "3", "100"));
            Process child = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile()).start();
            long records;
            try (Admin admin = kafka.admin()) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
                do {
                    assertThat(child.isAlive()).as("child gateway alive (see child.log)").isTrue();
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("child gateway delivered too little");
                    }
                    records = endOffsets(admin);
                    java.util.concurrent.locks.LockSupport.parkNanos(50_000_000);
                } while (records < 500);
            }
            child.destroyForcibly();
            assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
            LOG.info("child gateway killed after {} records reached Kafka", records);
            GatewayConfig cfg = new GatewayConfig("it-c", kafka.bootstrapServers(), outbox, Pacing.AS_FAST_AS_POSSIBLE, Map.of());
            GatewayStats after;
            try (Gateway g = Gateway.start(cfg, List.of(), InstantSource.system(), new SimpleMeterRegistry())) {
                long backlog = g.stats().outboxLag();
                g.awaitSourcesDrained(Duration.ofSeconds(60));
                after = g.stats();
                LOG.info("restarted gateway found {} unacknowledged blocks and delivered {}", backlog, after.blocksDelivered());
            }
            SampleLog log = SampleLog.readAll(kafka.bootstrapServers());
            assertThat(log.seqs).hasSize(6);
            assertThat(log.gapFree()).as("distinct seqs per source are 0..max").isTrue();
            long max256 = log.seqs.values().stream().mapToLong(l -> l.stream().mapToLong(Long::longValue).max().orElse(-1)).max().orElse(-1);
            // every source got at least its share of what had reached Kafka before the kill (6 sources, in step)
            assertThat(max256 + 1).as("blocks per source").isGreaterThanOrEqualTo(records / 6 - 1);
            // the pump journals the two sources of a bed alternately: their last seqs differ by at most one
            for (int bed = 1; bed <= 3; bed++) {
                long a = last(log, "bed-" + bed + "/256hz");
                long b = last(log, "bed-" + bed + "/200hz");
                assertThat(Math.abs(a - b)).as("bed-" + bed + " sources journaled in step").isLessThanOrEqualTo(1);
            }
            LOG.info("after the kill: {} records in samples.v1, {} duplicates (re-sent blocks), {} delivered by the restarted gateway",
                    log.records, log.duplicates(), after.blocksDelivered());
            assertThat(after.outboxLag()).isZero();
        }
    }

    private static long last(SampleLog log, String source) {
        return log.seqs.get(source).stream().mapToLong(Long::longValue).max().orElseThrow();
    }

    private static long endOffsets(Admin admin) {
        try {
            Map<TopicPartition, OffsetSpec> q = Map.of(new TopicPartition(Topics.SAMPLES.name(), 0), OffsetSpec.latest(),
                    new TopicPartition(Topics.SAMPLES.name(), 1), OffsetSpec.latest());
            return admin.listOffsets(q).all().get(10, TimeUnit.SECONDS).values().stream().mapToLong(i -> i.offset()).sum();
        } catch (Exception e) {
            throw new AssertionError("cannot read end offsets: " + e, e);
        }
    }

    /** The --add-opens/--add-exports and -D flags of this JVM, which Chronicle Queue needs in the child too. */
    static List<String> jvmFlags() {
        List<String> in = ManagementFactory.getRuntimeMXBean().getInputArguments();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
            String a = in.get(i);
            if (a.equals("--add-opens") || a.equals("--add-exports")) {
                out.add(a);
                out.add(in.get(++i));
            } else if (a.startsWith("--add-opens=") || a.startsWith("--add-exports=") || a.startsWith("-Dchronicle")
                    || a.startsWith("-Dhypnostream")) {
                out.add(a);
            }
        }
        return out;
    }
}
