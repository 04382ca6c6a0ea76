package org.hypnostream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import net.openhft.chronicle.queue.RollCycles;
import org.hypnostream.common.time.ManualClock;
import org.hypnostream.common.time.Micros;
import org.hypnostream.common.wire.SampleBlock;
import org.hypnostream.ingest.outbox.Outbox;
import org.hypnostream.ingest.outbox.OutboxUnwritableException;
import org.hypnostream.ingest.source.AmplifierSource;
import org.hypnostream.ingest.source.Pacing;
import org.hypnostream.ingest.source.SyntheticAmplifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PumpTest {
    static final Instant SESSION = Instant.parse("2026-01-10T22:00:00Z");
    @TempDir
    Path tmp;
    final ManualClock clock = new ManualClock(Instant.parse("2026-01-10T22:00:05Z"));
    final List<SampleBlock> journaled = new CopyOnWriteArrayList<>();
    final AtomicInteger unwritable = new AtomicInteger();

    final Pump.Events events = new Pump.Events() {
        @Override
        public void journaled(SampleBlock block) {
            journaled.add(block);
        }

        @Override
        public void outboxUnwritable(OutboxUnwritableException e) {
            unwritable.incrementAndGet();
        }

        @Override
        public void outboxRecovered() {
        }

        @Override
        public void sourceFailed(AmplifierSource source, RuntimeException e) {
        }
    };

    static void await(BooleanSupplier c, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    static void join(Thread t) {
        try {
            t.join(10_000);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        assertThat(t.isAlive()).isFalse();
    }

    @Test
    void realTimePacingReleasesBlocksAsTheClockAdvancesAndStampsReceiveTime() {
        try (Outbox o = Outbox.open(tmp, "gw", clock, new SimpleMeterRegistry())) {
            List<AmplifierSource> sources = List.of(new SyntheticAmplifier("bed-1", 1, SESSION, Duration.ofMinutes(1)),
                    new SyntheticAmplifier("bed-2", 2, SESSION, Duration.ofMinutes(1)));
            Pump pump = new Pump(sources, o, clock, Pacing.REALTIME, events);
            Thread t = new Thread(pump);
            t.start();
            await(() -> journaled.size() == 4, "the first second of both beds (2 sources each)");
            assertThat(o.journaled()).isEqualTo(4);
            clock.advance(Duration.ofMillis(999));
            assertThat(journaled).hasSize(4); // nothing due before 1 s of device time has passed
            clock.advance(Duration.ofMillis(1));
            await(() -> journaled.size() == 8, "the second second");
            clock.advance(Duration.ofSeconds(10));
            await(() -> journaled.size() == 4 * 12, "ten more seconds at once");
            for (SampleBlock b : journaled.subList(4, 8)) {
                assertThat(b.seq()).isEqualTo(1);
                assertThat(b.receiveTimeMicros()).isEqualTo(Micros.of(Instant.parse("2026-01-10T22:00:06Z")));
            }
            assertThat(pump.drained()).isFalse();
            clock.advance(Duration.ofMinutes(2));
            await(pump::drained, "end of both one-minute nights");
            assertThat(journaled).hasSize(4 * 60);
            pump.stop();
            join(t);
        }
    }

    @Test
    void aSourcesStartOffsetDelaysAllItsBlocksByThatMuch() {
        try (Outbox o = Outbox.open(tmp, "gw", clock, new SimpleMeterRegistry())) {
            AmplifierSource late = new AmplifierSource() {
                final SyntheticAmplifier inner = new SyntheticAmplifier("bed-2", 2, SESSION, Duration.ofMinutes(1));

                @Override
                public String bedId() {
                    return inner.bedId();
                }

                @Override
                public long startOffsetMicros() {
                    return 500_000;
                }

                @Override
                public java.util.Optional<SampleBlock> next() {
                    return inner.next();
                }
            };
            Pump pump = new Pump(List.of(new SyntheticAmplifier("bed-1", 1, SESSION, Duration.ofMinutes(1)), late), o,
                    clock, Pacing.factor(2), events);
            Thread t = new Thread(pump);
            t.start();
            await(() -> journaled.size() == 2, "bed-1's first second");
            clock.advance(Duration.ofMillis(249)); // 500 ms device offset at 2x = 250 ms wall
            assertThat(journaled).extracting(SampleBlock::bedId).containsOnly("bed-1");
            clock.advance(Duration.ofMillis(1));
            await(() -> journaled.size() == 4, "bed-2's first second, 250 ms later");
            clock.advance(Duration.ofMillis(250)); // bed-1's second second is due at 500 ms, bed-2's at 750 ms
            await(() -> journaled.size() == 6, "bed-1's second second");
            assertThat(journaled.subList(4, 6)).extracting(SampleBlock::bedId).containsOnly("bed-1");
            clock.advance(Duration.ofMillis(250));
            await(() -> journaled.size() == 8, "bed-2's second second");
            assertThat(journaled.subList(6, 8)).extracting(SampleBlock::bedId).containsOnly("bed-2");
            pump.stop();
            join(t);
        }
    }

    @Test
    void pacingFactorAndUnpaced() {
        try (Outbox o = Outbox.open(tmp, "gw", clock, new SimpleMeterRegistry())) {
            Pump fast = new Pump(List.of(new SyntheticAmplifier("bed-1", 1, SESSION, Duration.ofMinutes(1))), o, clock,
                    Pacing.factor(10), events);
            Thread t = new Thread(fast);
            t.start();
            await(() -> journaled.size() == 2, "first second");
            clock.advance(Duration.ofMillis(100)); // 1 s of device time at 10x
            await(() -> journaled.size() == 4, "second second after 100 ms");
            fast.stop();
            join(t);
        }
        journaled.clear();
        try (Outbox o = Outbox.open(tmp.resolve("b"), "gw", clock, new SimpleMeterRegistry())) {
            Pump max = new Pump(List.of(new SyntheticAmplifier("bed-1", 1, SESSION, Duration.ofMinutes(1))), o, clock,
                    Pacing.AS_FAST_AS_POSSIBLE, events);
            max.run();
            assertThat(max.drained()).isTrue();
            assertThat(journaled).hasSize(120);
        }
    }

    @Test
    void aFullOutboxHoldsTheBlockAndReportsInsteadOfDroppingIt() {
        try (Outbox o = Outbox.open(tmp, "gw", clock, new SimpleMeterRegistry(), RollCycles.FAST_HOURLY, Long.MAX_VALUE)) {
            Pump pump = new Pump(List.of(new SyntheticAmplifier("bed-1", 1, SESSION, Duration.ofMinutes(1))), o, clock,
                    Pacing.AS_FAST_AS_POSSIBLE, events);
            Thread t = new Thread(pump);
            t.start();
            await(() -> unwritable.get() == 1, "the outbox problem reported");
            assertThat(journaled).isEmpty();
            assertThat(pump.drained()).isFalse();
            pump.stop();
            join(t);
        }
    }

    @Test
    void configIsReadAndValidatedAllAtOnce() {
        GatewayOptions o = GatewayOptions.fromEnvironment(java.util.Map.of("kafka.bootstrap.servers", "127.0.0.1:9092",
                "gateway.speed", "20", "gateway.beds", "4", "gateway.outbox.dir", tmp.toString()));
        assertThat(o.gateway().pacing()).isEqualTo(Pacing.factor(20));
        assertThat(o.beds()).isEqualTo(4);
        assertThat(o.source()).isEqualTo("synthetic");
        assertThat(o.gateway().outboxRollMinutes()).isEqualTo(60);
        assertThat(GatewayOptions.fromEnvironment(java.util.Map.of("kafka.bootstrap.servers", "127.0.0.1:9092",
                "gateway.outbox.roll.minutes", "5")).gateway().outboxRollMinutes()).isEqualTo(5);
        assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(org.hypnostream.common.config.ConfigException.class,
                () -> GatewayOptions.fromEnvironment(java.util.Map.of("kafka.bootstrap.servers", "127.0.0.1:9092",
                        "gateway.outbox.roll.minutes", "7"))).problems())
                .singleElement().asString().contains("roll cycle of 7 minutes is not supported");
        org.hypnostream.common.config.ConfigException e = org.assertj.core.api.Assertions.catchThrowableOfType(
                org.hypnostream.common.config.ConfigException.class,
                () -> GatewayOptions.fromEnvironment(java.util.Map.of("gateway.speed", "fast-ish", "gateway.beds", "0",
                        "gateway.source", "edf:/no/such.edf")));
        assertThat(e.problems()).hasSize(4).anyMatch(p -> p.contains("kafka.bootstrap.servers"))
                .anyMatch(p -> p.contains("gateway.speed")).anyMatch(p -> p.contains("gateway.beds"))
                .anyMatch(p -> p.contains("no such file"));
        assertThat(GatewayOptions.describe()).contains("HYPNOSTREAM_GATEWAY_OUTBOX_DIR");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new GatewayConfig("gw", "x:1", tmp, Pacing.REALTIME,
                java.util.Map.of("acks", "1"))).hasMessageContaining("acks=all");
    }
}
