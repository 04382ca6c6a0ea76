package org.hypnostream.ingest;

import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.hypnostream.common.time.Micros;
import org.hypnostream.common.wire.SampleBlock;
import org.hypnostream.ingest.outbox.Outbox;
import org.hypnostream.ingest.outbox.OutboxUnwritableException;
import org.hypnostream.ingest.source.AmplifierSource;
import org.hypnostream.ingest.source.Pacing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread that moves blocks from every source into the outbox, each when it is due: block due time = start +
 * (the source's start offset + device time - the source's first device time) / speed on the injected clock. Sets receive time at journal time.
 * A block the outbox refuses is kept and retried (never dropped); the source is not read meanwhile.
 */
final class Pump implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Pump.class);
    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

    interface Events {
        void journaled(SampleBlock block);

        void outboxUnwritable(OutboxUnwritableException e);

        void outboxRecovered();

        void sourceFailed(AmplifierSource source, RuntimeException e);
    }

    private static final class Slot {
        final AmplifierSource source;
        final long firstDeviceMicros;
        final long startOffsetMicros;
        SampleBlock next;
        long dueMicros;
        long order;

        Slot(AmplifierSource source, SampleBlock first) {
            this.source = source;
            this.firstDeviceMicros = first.deviceTimeMicros();
            this.startOffsetMicros = Math.max(0, source.startOffsetMicros());
            this.next = first;
        }
    }

    private final List<AmplifierSource> sources;
    private final Outbox outbox;
    private final InstantSource clock;
    private final Pacing pacing;
    private final Events events;
    private volatile boolean running = true;
    private volatile boolean drained;

    Pump(List<AmplifierSource> sources, Outbox outbox, InstantSource clock, Pacing pacing, Events events) {
        this.sources = sources;
        this.outbox = outbox;
        this.clock = clock;
        this.pacing = pacing;
        this.events = events;
    }

    boolean drained() {
        return drained;
    }

    void stop() {
        running = false;
    }

    @Override
    public void run() {
        long startMicros = Micros.now(clock);
        long order = 0;
        PriorityQueue<Slot> due = new PriorityQueue<>((a, b) -> a.dueMicros != b.dueMicros
                ? Long.compare(a.dueMicros, b.dueMicros) : Long.compare(a.order, b.order));
        for (AmplifierSource s : sources) {
            Optional<SampleBlock> first = read(s);
            if (first.isPresent()) {
                Slot slot = new Slot(s, first.get());
                slot.dueMicros = startMicros + pacing.wallOffsetMicros(slot.startOffsetMicros);
                slot.order = order++;
                due.add(slot);
            }
        }
        boolean failing = false;
        while (running && !due.isEmpty()) {
            Slot slot = due.peek();
            long now = Micros.now(clock);
            if (slot.dueMicros > now) {
                LockSupport.parkNanos(Math.min(MAX_PARK_NANOS, (slot.dueMicros - now) * 1000));
                continue;
            }
            SampleBlock b = slot.next;
            SampleBlock stamped = new SampleBlock(b.bedId(), b.sourceId(), b.seq(), b.sessionStartMicros(),
                    b.deviceTimeMicros(), now, b.sampleRateHz(), b.channels(), b.samples());
            try {
                outbox.append(stamped);
            } catch (OutboxUnwritableException e) {
                if (!failing) {
                    events.outboxUnwritable(e);
                    failing = true;
                }
                long until = System.nanoTime() + RETRY_NANOS;
                while (running && System.nanoTime() < until) {
                    LockSupport.parkNanos(until - System.nanoTime());
                }
                continue;
            }
            if (failing) {
                failing = false;
                events.outboxRecovered();
            }
            events.journaled(stamped);
            due.poll();
            Optional<SampleBlock> next = read(slot.source);
            if (next.isPresent()) {
                slot.next = next.get();
                slot.dueMicros = startMicros + pacing.wallOffsetMicros(slot.startOffsetMicros
                        + slot.next.deviceTimeMicros() - slot.firstDeviceMicros);
                slot.order = order++;
                due.add(slot);
            } else {
                LOG.info("source of bed {} ended", slot.source.bedId());
            }
        }
        drained = due.isEmpty();
    }

    private Optional<SampleBlock> read(AmplifierSource s) {
        try {
            return s.next();
        } catch (RuntimeException e) {
            events.sourceFailed(s, e);
            return Optional.empty();
        }
    }
}
