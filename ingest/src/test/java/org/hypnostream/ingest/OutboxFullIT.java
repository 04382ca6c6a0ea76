package org.hypnostream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;
import org.hypnostream.broker.EmbeddedKafka;
import org.hypnostream.common.event.Alert;
import org.hypnostream.common.event.AlertState;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.ingest.outbox.Outbox;
import org.hypnostream.ingest.outbox.OutboxUnwritableException;
import org.hypnostream.ingest.source.AmplifierSource;
import org.hypnostream.ingest.source.Pacing;
import org.hypnostream.ingest.source.SyntheticAmplifier;
import org.hypnostream.testkit.TopicReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outbox's disk fills up mid-night and is freed again: the free-space probe reports the real free space until
 * the switch, then 0 bytes (below the gateway's minimum), then the real free space again. While "full" the gateway
 * journals nothing, counts refusals, holds the pending block (sources paused) and raises OUTBOX_UNWRITABLE for every
 * bed on {@code alerts.v1}; once space is back it clears the alert and every block of the night is journaled and
 * delivered exactly once, gap-free.
 */
class OutboxFullIT {
    private static final long BLOCKS_PER_SOURCE = 120; // 2 minutes

    @TempDir
    Path tmp;

    @Test
    void aFullDiskPausesJournalingRaisesTheAlarmAndLosesNothing() throws Exception {
        AtomicBoolean full = new AtomicBoolean();
        Outbox.FreeSpace disk = dir -> full.get() ? 0 : Files.getFileStore(dir).getUsableSpace();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(tmp.resolve("kafka"))) {
            kafka.createTopics(2);
            List<AmplifierSource> beds = new ArrayList<>();
            for (int i = 1; i <= 2; i++) {
                beds.add(new SyntheticAmplifier("bed-" + i, i, Instant.parse("2026-01-10T22:00:00Z"), Duration.ofMinutes(2)));
            }
            GatewayConfig cfg = new GatewayConfig("it-full", kafka.bootstrapServers(), tmp.resolve("outbox"),
                    Pacing.factor(20), Map.of(), 64L << 20);
            long journaledAtFull;
            long journaledWhileFull;
            long refusedWhileFull;
            GatewayStats stats;
            try (Gateway g = Gateway.start(cfg, beds, InstantSource.system(), new SimpleMeterRegistry(), disk)) {
                await(() -> g.stats().blocksJournaled() >= 40, "40 blocks journaled before the disk fills");
                full.set(true);
                await(() -> g.stats().outboxRefusals() >= 1, "a refused append");
                journaledAtFull = g.stats().blocksJournaled();
                List<Alert> active = awaitAlerts(kafka.bootstrapServers(), AlertState.ACTIVE, 2);
                await(() -> g.stats().outboxRefusals() >= 3, "refusals counted while the disk stays full");
                journaledWhileFull = g.stats().blocksJournaled() - journaledAtFull;
                refusedWhileFull = g.stats().outboxRefusals();
                assertThat(g.sourcesEnded()).as("sources paused, not finished, while full").isFalse();
                assertThat(active).extracting(Alert::bedId).containsExactlyInAnyOrder("bed-1", "bed-2");
                assertThat(active).allSatisfy(a -> assertThat(a.message()).contains("full").contains(tmp.resolve("outbox").toString()));
                full.set(false);
                g.awaitSourcesDrained(Duration.ofMinutes(2));
                stats = g.stats();
            }
            List<Alert> cleared = awaitAlerts(kafka.bootstrapServers(), AlertState.CLEARED, 2);
            SampleLog log = SampleLog.readAll(kafka.bootstrapServers());
            long missing = 0;
            for (var e : log.seqs.entrySet()) {
                missing += LongStream.range(0, BLOCKS_PER_SOURCE).filter(s -> !e.getValue().contains(s)).count();
            }
            missing += (4 - log.seqs.size()) * BLOCKS_PER_SOURCE;
            System.out.printf("fault outbox-full: journaled before full=%d journaled while full=%d refusals=%d"
                    + " alarm OUTBOX_UNWRITABLE active=%d cleared=%d journaled=%d delivered=%d lost=%d duplicated=%d%n",
                    journaledAtFull, journaledWhileFull, refusedWhileFull, 2, cleared.size(), stats.blocksJournaled(),
                    log.records, missing, log.duplicates());
            assertThat(journaledWhileFull).as("nothing journaled while the disk is full").isZero();
            assertThat(stats.blocksJournaled()).as("whole night journaled").isEqualTo(4 * BLOCKS_PER_SOURCE);
            assertThat(stats.blocksDelivered()).isEqualTo(stats.blocksJournaled());
            assertThat(missing).as("blocks missing on samples.v1").isZero();
            assertThat(log.duplicates()).isZero();
            assertThat(cleared).extracting(Alert::bedId).containsExactlyInAnyOrder("bed-1", "bed-2");
            assertThat(cleared).extracting(Alert::code).containsOnly(OutboxUnwritableException.ALERT_CODE);
        }
    }

    private static void await(BooleanSupplier c, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!c.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /** Polls {@code alerts.v1} from the beginning until {@code n} alerts in {@code state} are there. */
    static List<Alert> awaitAlerts(String bootstrap, AlertState state, int n) {
        return outboxAlerts(TopicReader.at(bootstrap).awaitValues(Topics.ALERTS, all -> outboxAlerts(all, state).size() >= n,
                Duration.ofSeconds(60)), state);
    }

    private static List<Alert> outboxAlerts(List<Alert> all, AlertState state) {
        return all.stream().filter(a -> a.state() == state && a.code().equals(OutboxUnwritableException.ALERT_CODE)).toList();
    }
}
