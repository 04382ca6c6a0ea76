package org.hypnostream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.hypnostream.broker.EmbeddedKafka;
import org.hypnostream.ingest.source.AmplifierSource;
import org.hypnostream.ingest.source.Pacing;
import org.hypnostream.ingest.source.SyntheticAmplifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** (b) the broker is down ~30 s while the gateway keeps journaling; afterwards journaled = delivered, no gap. */
class BrokerOutageIT {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerOutageIT.class);
    @TempDir
    Path tmp;

    static void await(BooleanSupplier c, Duration limit, String what) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            LockSupport.parkNanos(10_000_000);
        }
    }

    @Test
    void outageLosesNothing() {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(tmp.resolve("kafka"))) {
            kafka.createTopics(2);
            List<AmplifierSource> beds = new ArrayList<>();
            for (int i = 1; i <= 2; i++) {
                beds.add(new SyntheticAmplifier("bed-" + i, i, Instant.parse("2026-01-10T22:00:00Z"), Duration.ofMinutes(15)));
            }
            // 2 beds x 2 sources x 20 = 80 blocks per wall second; 3600 blocks in ~45 s
            GatewayConfig cfg = new GatewayConfig("it-b", kafka.bootstrapServers(), tmp.resolve("outbox"), Pacing.factor(20), Map.of());
            try (Gateway g = Gateway.start(cfg, beds, InstantSource.system(), new SimpleMeterRegistry())) {
                await(() -> g.stats().blocksDelivered() >= 200, Duration.ofSeconds(30), "first deliveries");
                kafka.stop();
                long journaledAtStop = g.stats().blocksJournaled();
                long deliveredAtStop = g.stats().blocksDelivered();
                long outageStart = System.nanoTime();
                // the outage lasts until 30 s of wall time worth of blocks (80/s) have been journaled
                await(() -> g.stats().blocksJournaled() >= journaledAtStop + 30 * 80, Duration.ofSeconds(45), "journaling during the outage");
                GatewayStats during = g.stats();
                LOG.info("outage of {} s: journaled {} -> {}, delivered {} -> {}, lag {}", (System.nanoTime() - outageStart) / 1e9,
                        journaledAtStop, during.blocksJournaled(), deliveredAtStop, during.blocksDelivered(), during.outboxLag());
                assertThat(during.outboxLag()).as("blocks held in the outbox during the outage").isGreaterThan(1000);
                kafka.restart();
                g.awaitSourcesDrained(Duration.ofSeconds(90));
                GatewayStats end = g.stats();
                assertThat(end.blocksJournaled()).isEqualTo(2 * 2 * 900);
                assertThat(end.blocksDelivered()).isEqualTo(end.blocksJournaled());
                assertThat(end.outboxLag()).isZero();
            }
            SampleLog log = SampleLog.readAll(kafka.bootstrapServers());
            assertThat(log.seqs).hasSize(4);
            assertThat(log.gapFree()).isTrue();
            log.seqs.forEach((source, seqs) -> assertThat(new java.util.TreeSet<>(seqs)).as(source).hasSize(900));
            // duplicates are possible only if a send failed (then the relay re-sends from the first failed block, in
            // order); they are reported, and dropped downstream by source + seq
            LOG.info("after the outage: {} records, {} duplicates", log.records, log.duplicates());
            assertThat(log.records).isEqualTo(3600 + log.duplicates());
        }
    }
}
