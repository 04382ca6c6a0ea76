package org.hypnostream.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.hypnostream.broker.EmbeddedKafka;
import org.hypnostream.common.event.JsonCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The null pipeline on a real broker: every paced record crosses the three exactly-once hops once (none lost, none
 * twice), the pass-through Streams hop's store is changelogged, and the bench JSON gains {@code floor_latency} with
 * the fields of {@code e2e_latency}. Timings are not asserted.
 */
class NullPipelineIT {
    @TempDir
    Path dir;

    @Test
    void everyRecordCrossesTheThreeHopsOnceAndTheJsonCarriesBothLatencies() throws Exception {
        List<byte[]> blocks = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            blocks.add(new byte[1000 + i]);
        }
        // 3 beds x 4 blocks/s x 2 s = 24 records, due at 0, 1/12 s, ... < 2 s
        NullPipeline.Load load = new NullPipeline.Load(3, 4, blocks);
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("broker"));
                Admin admin = kafka.admin()) {
            NullPipeline.Result r = NullPipeline.run(kafka.bootstrapServers(), admin, 2, load, Duration.ofSeconds(2),
                    dir.resolve("state"));

            assertThat(r.sent()).isEqualTo(24);
            assertThat(r.delivered()).as("distinct records read from the last topic").isEqualTo(24);
            assertThat(r.duplicates()).isZero();
            assertThat(r.complete()).isTrue();
            assertThat(r.latency().count()).isEqualTo(24);
            assertThat(r.latency().p50Millis()).isPositive();

            Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            assertThat(topics).as("the pass-through hop's store is changelogged")
                    .anyMatch(t -> t.startsWith("bench-floor-spine-") && t.endsWith("-" + NullSpineTopology.STORE + "-changelog"));

            ObjectNode bench = JsonCodec.mapper().createObjectNode();
            bench.set("e2e_latency", LatencyStats.ofMicros(new long[] {30_000, 60_000}).json());
            r.addTo(bench);
            List<String> e2eFields = new ArrayList<>();
            bench.get("e2e_latency").fieldNames().forEachRemaining(e2eFields::add);
            List<String> floorFields = new ArrayList<>();
            bench.get("floor_latency").fieldNames().forEachRemaining(floorFields::add);
            assertThat(floorFields).isEqualTo(e2eFields);
            assertThat(bench.get("floor_latency").get("count").asInt()).isEqualTo(24);
            assertThat(bench.get("null_pipeline").get("records_sent").asLong()).isEqualTo(24);
            assertThat(bench.get("null_pipeline").get("records_delivered").asLong()).isEqualTo(24);
            assertThat(bench.get("null_pipeline").get("complete").asBoolean()).isTrue();
            assertThat(bench.get("e2e_to_floor_p99_ratio").asDouble())
                    .isEqualTo(Math.round(60.0 / r.latency().p99Millis() * 100) / 100.0);
            assertThat(BenchText.floor(bench)).contains("null pipeline", "n=24", "x the floor");
        }
    }
}
