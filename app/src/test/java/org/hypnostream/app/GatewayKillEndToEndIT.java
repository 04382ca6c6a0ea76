package org.hypnostream.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.hypnostream.broker.EmbeddedKafka;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.common.wire.Epoch;
import org.hypnostream.ingest.Gateway;
import org.hypnostream.ingest.GatewayConfig;
import org.hypnostream.ingest.source.Pacing;
import org.hypnostream.stream.SpineConfig;
import org.hypnostream.stream.StreamProcessorApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway process is killed with SIGKILL mid-run and a new gateway is started on the same outbox: whatever the
 * outbox re-sends reaches Kafka again, but no epoch is emitted twice and none is missing.
 */
class GatewayKillEndToEndIT {

    @TempDir
    Path dir;

    @Test
    void killedGatewayLosesNothingAndNoEpochIsDoubled() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("broker"))) {
            kafka.createTopics(2);
            try (StreamProcessorApp spine = StreamProcessorApp.start(kafka.bootstrapServers(), dir.resolve("streams"),
                    SpineConfig.defaults(), new SimpleMeterRegistry(), Map.of())) {
                Path outbox = dir.resolve("outbox");
                Process child = startGatewayProcess(kafka.bootstrapServers(), outbox);
                try (Admin admin = kafka.admin()) {
                    awaitSampleRecords(admin, 400, child);
                }
                child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                assertThat(child.isAlive()).isFalse();

                // a new gateway on the same outbox, with no live source: it relays what the dead one journaled
                GatewayConfig cfg = new GatewayConfig("gateway-1", kafka.bootstrapServers(), outbox, Pacing.AS_FAST_AS_POSSIBLE, Map.of());
                try (Gateway g = Gateway.start(cfg, List.of(), InstantSource.system(), new SimpleMeterRegistry())) {
                    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                    while (g.stats().outboxLag() > 0) {
                        assertThat(System.nanoTime()).as("restarted gateway drained its outbox in time").isLessThan(deadline);
                        Thread.sleep(200);
                    }
                }
                try (Admin admin = kafka.admin()) {
                    assertThat(ConsumerLag.awaitCaughtUp(admin, Map.of("hypnostream-spine", List.of(Topics.SAMPLES.name())), 2,
                            Duration.ofSeconds(120))).isTrue();
                }
                TopicCounts counts = TopicCounts.read(kafka.bootstrapServers(), List.of(Topics.SAMPLES.name()));
                List<Epoch> epochs = SpineEndToEndIT.readEpochs(kafka.bootstrapServers());
                Map<String, List<Long>> byBed = new TreeMap<>();
                epochs.forEach(e -> byBed.computeIfAbsent(e.bedId(), b -> new ArrayList<>()).add(e.index()));
                assertThat(byBed).containsOnlyKeys("bed-1", "bed-2");
                for (var e : byBed.entrySet()) {
                    List<Long> idx = e.getValue();
                    assertThat(new TreeSet<>(idx)).as("epochs of %s are distinct", e.getKey()).hasSize(idx.size());
                    assertThat(idx).as("epochs of %s are contiguous from 0", e.getKey())
                            .containsExactlyElementsOf(java.util.stream.LongStream.range(0, idx.size()).boxed().toList());
                    assertThat(idx.size()).as("epochs of %s", e.getKey()).isGreaterThanOrEqualTo(2);
                    System.out.printf("gateway kill: %s distinct blocks=%d re-sent duplicates=%d epochs=%d duplicated epochs=0%n",
                            e.getKey(), counts.count(e.getKey(), Topics.SAMPLES.name()), counts.duplicates(e.getKey()), idx.size());
                }
                assertThat(epochs.stream().allMatch(ep -> ep.quality().isEmpty())).as("no gap in any epoch").isTrue();
            }
        }
    }

    private static void awaitSampleRecords(Admin admin, long records, Process child) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            var parts = Map.of(new TopicPartition(Topics.SAMPLES.name(), 0), OffsetSpec.latest(),
                    new TopicPartition(Topics.SAMPLES.name(), 1), OffsetSpec.latest());
            long n = admin.listOffsets(parts).all().get(10, TimeUnit.SECONDS).values().stream().mapToLong(i -> i.offset()).sum();
            if (n >= records) {
                return;
            }
            assertThat(child.isAlive()).as("gateway child process is running").isTrue();
            assertThat(System.nanoTime()).as("child gateway sent %d records in time", records).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private Process startGatewayProcess(String bootstrap, Path outbox) throws Exception {
        List<String> cmd = ServiceProcess.childJvm(List.of(), "org.hypnostream.ingest.GatewayMain");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("gateway-child.log").toFile());
        pb.environment().put("HYPNOSTREAM_KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        pb.environment().put("HYPNOSTREAM_GATEWAY_OUTBOX_DIR", outbox.toString());
        pb.environment().put("HYPNOSTREAM_GATEWAY_BEDS", "2");
        pb.environment().put("HYPNOSTREAM_GATEWAY_SPEED", "20");
        pb.environment().put("HYPNOSTREAM_GATEWAY_METRICS_PORT", "-1");
        return pb.start();
    }
}
