package org.hypnostream.ingest.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import net.openhft.chronicle.queue.RollCycles;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.hypnostream.common.time.ManualClock;
import org.hypnostream.common.wire.ChannelInfo;
import org.hypnostream.common.wire.ChannelType;
import org.hypnostream.common.wire.SampleBlock;
import org.hypnostream.common.wire.SampleBlockCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxRelayTest {
    @TempDir
    Path tmp;
    final ManualClock clock = new ManualClock(Instant.parse("2026-01-10T22:00:00Z"));
    final MeterRegistry registry = new SimpleMeterRegistry();
    final List<Long> delivered = new CopyOnWriteArrayList<>();

    static SampleBlock block(String bed, long seq) {
        float[][] s = {{seq, seq + 0.5f}};
        return new SampleBlock(bed, bed + "/2hz", seq, 0, seq * 1_000_000, 7, 2.0,
                List.of(ChannelInfo.microvolts("EEG X", ChannelType.EEG)), s);
    }

    static MockProducer<String, byte[]> mock(boolean autoComplete) {
        return new MockProducer<>(autoComplete, null, new StringSerializer(), new ByteArraySerializer());
    }

    static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    static long seqOf(ProducerRecord<String, byte[]> r) {
        return SampleBlockCodec.decode(r.value()).seq();
    }

    Relay relay(Outbox o, Queue<Producer<String, byte[]>> producers) {
        return Relay.start(o, producers::remove, (bed, source, seq) -> delivered.add(seq), registry);
    }

    @Test
    void blocksAreSentInOrderAndTheNamedTailerMovesOnlyPastAcknowledgedBlocks() {
        MockProducer<String, byte[]> first = mock(false);
        try (Outbox o = Outbox.open(tmp, "gw", clock, registry)) {
            Relay r = relay(o, new ArrayDeque<>(List.of(first)));
            for (int i = 0; i < 10; i++) {
                o.append(block("bed-1", i));
            }
            await(() -> first.history().size() == 10, "10 sends");
            assertThat(first.history()).extracting(OutboxRelayTest::seqOf).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
            assertThat(first.history()).allMatch(rec -> rec.key().equals("bed-1") && rec.topic().equals("samples.v1"));
            assertThat(SampleBlockCodec.decode(first.history().get(3).value())).isEqualTo(block("bed-1", 3));
            for (int i = 0; i < 4; i++) {
                first.completeNext();
            }
            await(() -> r.delivered() == 4, "4 acknowledged");
            assertThat(r.lag()).isEqualTo(6);
            assertThat(registry.get("hypnostream.ingest.outbox.lag").tag("gateway", "gw").gauge().value()).isEqualTo(6.0);
            assertThat(registry.get("hypnostream.ingest.blocks.journaled").counter().count()).isEqualTo(10.0);
            r.close(); // a crash here: 6 blocks sent but never acknowledged
        }
        MockProducer<String, byte[]> second = mock(false);
        try (Outbox o = Outbox.open(tmp, "gw", clock, new SimpleMeterRegistry())) {
            Relay r = relay(o, new ArrayDeque<>(List.of(second)));
            assertThat(r.lag()).isEqualTo(6);
            await(() -> second.history().size() == 6, "the 6 unacknowledged blocks re-sent");
            assertThat(second.history()).extracting(OutboxRelayTest::seqOf).containsExactly(4L, 5L, 6L, 7L, 8L, 9L);
            assertThat(r.lag()).isEqualTo(6);
            while (second.completeNext()) {
                // acknowledge every re-sent block
            }
            await(() -> r.delivered() == 6, "the re-sent blocks acknowledged");
            o.append(block("bed-1", 10));
            await(() -> second.history().size() == 7, "a new block sent");
            second.completeNext();
            await(() -> r.delivered() == 7, "a new block acknowledged");
            assertThat(r.lag()).isZero();
            r.close();
        }
        assertThat(delivered).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    }

    @Test
    void aFailedSendIsRetriedFromTheFirstUnacknowledgedBlockWithoutLossOrReordering() {
        MockProducer<String, byte[]> first = mock(false);
        MockProducer<String, byte[]> second = mock(true);
        try (Outbox o = Outbox.open(tmp, "gw", clock, registry)) {
            Relay r = relay(o, new ArrayDeque<>(List.of(first, second)));
            for (int i = 0; i < 5; i++) {
                o.append(block("bed-1", i));
            }
            await(() -> first.history().size() == 5, "5 sends");
            first.completeNext();
            first.errorNext(new org.apache.kafka.common.errors.TimeoutException("broker down"));
            for (int i = 0; i < 3; i++) {
                first.errorNext(new org.apache.kafka.common.errors.TimeoutException("broker down"));
            }
            await(() -> r.delivered() == 5, "all 5 delivered after the retry");
            assertThat(second.history()).extracting(OutboxRelayTest::seqOf).containsExactly(1L, 2L, 3L, 4L);
            assertThat(registry.get("hypnostream.ingest.relay.send.failures").counter().count()).isEqualTo(1.0);
            r.close();
        }
        assertThat(delivered).containsExactly(0L, 1L, 2L, 3L, 4L);
    }

    @Test
    void cycleFilesAreDeletedOnceFullyRelayed() throws IOException {
        MockProducer<String, byte[]> p = mock(true);
        try (Outbox o = Outbox.open(tmp, "gw", clock, registry, RollCycles.FIVE_MINUTELY, 0)) {
            Relay r = relay(o, new ArrayDeque<>(List.of(p)));
            o.append(block("bed-1", 0));
            o.append(block("bed-1", 1));
            await(() -> r.delivered() == 2, "first cycle relayed");
            assertThat(cycleFiles()).isEqualTo(1);
            clock.advance(Duration.ofMinutes(6));
            o.append(block("bed-1", 2));
            await(() -> r.delivered() == 3, "second cycle relayed");
            await(() -> cycleFiles() == 1, "the relayed first cycle file deleted");
            clock.advance(Duration.ofMinutes(6));
            o.append(block("bed-1", 3));
            await(() -> r.delivered() == 4, "third cycle relayed");
            await(() -> cycleFiles() == 1, "the relayed second cycle file deleted");
            r.close();
        }
        assertThat(delivered).containsExactly(0L, 1L, 2L, 3L);
    }

    @Test
    void anOutboxKeepsTheCycleLengthItWasCreatedWithAndRefusesUnsupportedOnes() {
        try (Outbox o = Outbox.open(tmp, "gw", clock, registry, Outbox.rollCycle(60), 0)) {
            o.append(block("bed-1", 0));
        }
        try (Outbox o = Outbox.open(tmp, "gw", clock, registry, Outbox.rollCycle(5), 0)) {
            assertThat(o.queue().rollCycle().lengthInMillis()).as("cycle of the existing journal").isEqualTo(3_600_000);
        }
        try (Outbox o = Outbox.open(tmp.resolve("new"), "gw", clock, registry, Outbox.rollCycle(5), 0)) {
            o.append(block("bed-1", 0));
            assertThat(o.queue().rollCycle().lengthInMillis()).as("cycle of a new journal").isEqualTo(300_000);
        }
        assertThatThrownBy(() -> Outbox.rollCycle(7)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("7 minutes is not supported");
    }

    @Test
    void anUnwritableOrFullOutboxRefusesWithAClearErrorAndJournalsNothing() throws IOException {
        Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
        assertThatThrownBy(() -> Outbox.open(file, "gw", clock, registry)).isInstanceOf(OutboxUnwritableException.class)
                .hasMessageContaining("not-a-dir").hasMessageContaining("gw");
        try (Outbox o = Outbox.open(tmp.resolve("full"), "gw", clock, registry, RollCycles.FAST_HOURLY, Long.MAX_VALUE)) {
            assertThatThrownBy(() -> o.append(block("bed-9", 0))).isInstanceOf(OutboxUnwritableException.class)
                    .hasMessageContaining("full").hasMessageContaining("bed-9/2hz");
            assertThat(o.journaled()).isZero();
        }
    }

    private long cycleFiles() {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.filter(f -> f.toString().endsWith(".cq4")).count();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
