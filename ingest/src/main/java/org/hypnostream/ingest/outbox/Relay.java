package org.hypnostream.ingest.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.hypnostream.common.topic.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends journaled blocks to {@code samples.v1} (key = bed id) with an idempotent producer, in journal order.
 *
 * <p>Two tailers: an anonymous <em>reader</em> that sends, and the NAMED tailer {@value #TAILER} whose persisted
 * position is moved past a block only once Kafka acknowledged it and every block before it. After a restart the
 * reader starts at the named tailer's position, so blocks sent but not yet recorded as acknowledged are sent again
 * (at-least-once; the stream processor drops duplicates by source + seq). When a send fails (broker down longer
 * than the delivery timeout) the producer is recreated and the reader rewinds to the first unacknowledged block:
 * nothing is lost or skipped. Cycle files wholly behind the named tailer are deleted.
 */
public final class Relay implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Relay.class);
    public static final String TAILER = "relay";
    /** Upper bound on blocks sent but not yet acknowledged. */
    public static final int MAX_IN_FLIGHT = 4096;
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final long RETRY_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** Told about every acknowledged block, in journal order (may repeat blocks re-sent after a restart). */
    public interface Listener {
        void delivered(String bedId, String sourceId, long seq);
    }

    private final Outbox outbox;
    private final Supplier<Producer<String, byte[]>> producers;
    private final Listener listener;
    private final Counter deliveredCounter;
    private final Counter failures;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong backlogAtStart = new AtomicLong();
    private final CountDownLatch started = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable fatal;
    private final CompletableFuture<Throwable> died = new CompletableFuture<>();

    private Relay(Outbox outbox, Supplier<Producer<String, byte[]>> producers, Listener listener, MeterRegistry registry) {
        this.outbox = outbox;
        this.producers = producers;
        this.listener = listener;
        String gw = outbox.gatewayId();
        this.deliveredCounter = Counter.builder("hypnostream.ingest.blocks.delivered").tag("gateway", gw)
                .description("journaled blocks acknowledged by Kafka").register(registry);
        this.failures = Counter.builder("hypnostream.ingest.relay.send.failures").tag("gateway", gw)
                .description("sends that failed and were retried").register(registry);
        Gauge.builder("hypnostream.ingest.outbox.lag", this, Relay::lag).tag("gateway", gw)
                .description("blocks journaled but not yet acknowledged by Kafka").register(registry);
        this.thread = new Thread(this::run, "relay-" + gw);
        this.thread.setDaemon(true);
    }

    /** Starts the relay thread; returns once it has found where to resume. */
    public static Relay start(Outbox outbox, Supplier<Producer<String, byte[]>> producers, Listener listener,
                              MeterRegistry registry) {
        Relay r = new Relay(outbox, producers, listener, registry);
        outbox.onAppend(() -> LockSupport.unpark(r.thread));
        r.thread.start();
        try {
            if (!r.started.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("relay of gateway " + outbox.gatewayId() + " did not start");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the relay", e);
        }
        if (r.fatal != null) {
            throw new IllegalStateException("relay of gateway " + outbox.gatewayId() + " failed to start: " + r.fatal, r.fatal);
        }
        return r;
    }

    /** Blocks acknowledged by Kafka since this relay started (re-sent duplicates included). */
    public long delivered() {
        return delivered.get();
    }

    /** Blocks in the journal not yet acknowledged (those left from before a restart included). */
    public long lag() {
        return Math.max(0, backlogAtStart.get() + outbox.journaled() - delivered.get());
    }

    /** Waits until every journaled block is acknowledged; false on timeout. */
    public boolean awaitCaughtUp(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (lag() > 0 || started.getCount() > 0) {
            if (fatal != null) {
                throw new IllegalStateException("relay failed: " + fatal, fatal);
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            LockSupport.parkNanos(IDLE_PARK_NANOS);
        }
        return true;
    }

    private static final class Pending {
        final long index;
        final String bed;
        final String source;
        final long seq;
        volatile boolean acked;
        volatile Exception failed;

        Pending(long index, String bed, String source, long seq) {
            this.index = index;
            this.bed = bed;
            this.source = source;
            this.seq = seq;
        }

        boolean done() {
            return acked || failed != null;
        }
    }

    private void run() {
        SingleChronicleQueue q = outbox.queue();
        ExcerptTailer reader;
        ExcerptTailer committer;
        try {
            committer = q.createTailer(TAILER);
            reader = q.createTailer();
            backlogAtStart.set(resume(q, reader, committer));
        } catch (RuntimeException e) {
            fatal = e;
            started.countDown();
            return;
        }
        started.countDown();
        ArrayDeque<Pending> pending = new ArrayDeque<>();
        Producer<String, byte[]> producer = null;
        File lastFile = null;
        Bytes<?> buffer = Bytes.allocateElasticOnHeap(64 * 1024);
        try {
            while (running) {
                if (producer == null) {
                    producer = producers.get();
                }
                boolean work = sendAvailable(producer, reader, pending, buffer);
                work |= commitAcknowledged(pending, committer);
                File current = committer.currentFile();
                if (current != null && !current.equals(lastFile)) {
                    deleteCyclesBefore(current);
                    lastFile = current;
                }
                if (anyFailed(pending)) {
                    producer = recover(producer, pending, reader);
                } else if (!work) {
                    LockSupport.parkNanos(IDLE_PARK_NANOS);
                }
            }
            // clean stop: give sends in flight a moment to be acknowledged so that they are not re-sent next time
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (!pending.isEmpty() && pending.peek().failed == null && System.nanoTime() < deadline) {
                if (!commitAcknowledged(pending, committer)) {
                    LockSupport.parkNanos(IDLE_PARK_NANOS);
                }
            }
        } catch (RuntimeException | Error e) {
            fatal = e;
            died.complete(new IllegalStateException("relay of gateway " + outbox.gatewayId() + " stopped: " + e, e));
            LOG.error("relay of gateway {} stopped: {}; blocks stay in the outbox and are sent after a restart",
                    outbox.gatewayId(), e.toString(), e);
        } finally {
            if (producer != null) {
                producer.close(Duration.ofSeconds(5));
            }
            buffer.releaseLast();
            reader.close();
            committer.close();
        }
    }

    /**
     * Puts the reader at the first block not yet acknowledged (the named tailer's position), or at the end of a
     * fresh outbox; returns how many blocks wait to be (re-)sent.
     */
    private long resume(SingleChronicleQueue q, ExcerptTailer reader, ExcerptTailer committer) {
        long resumeAt = peekIndex(committer);
        if (resumeAt < 0) {
            reader.toEnd();
            return 0;
        }
        if (!reader.moveToIndex(resumeAt)) {
            throw new IllegalStateException("cannot move to outbox index " + Long.toHexString(resumeAt));
        }
        long backlog = 0;
        try (ExcerptTailer counter = q.createTailer()) {
            counter.moveToIndex(resumeAt);
            while (true) {
                try (DocumentContext dc = counter.readingDocument()) {
                    if (!dc.isPresent()) {
                        break;
                    }
                    backlog++;
                }
            }
        }
        LOG.info("relay of gateway {} resumes at outbox index {} with {} blocks not yet acknowledged",
                outbox.gatewayId(), Long.toHexString(resumeAt), backlog);
        return backlog;
    }

    /**
     * Sends the outbox's next blocks until {@link #MAX_IN_FLIGHT} are unacknowledged or the outbox is read to its end;
     * a send that throws is marked failed and stops the round. True when a block was read.
     */
    private boolean sendAvailable(Producer<String, byte[]> producer, ExcerptTailer reader, ArrayDeque<Pending> pending,
            Bytes<?> buffer) {
        boolean work = false;
        while (pending.size() < MAX_IN_FLIGHT) {
            Envelope e;
            long index;
            try (DocumentContext dc = reader.readingDocument()) {
                if (!dc.isPresent()) {
                    break;
                }
                index = dc.index();
                buffer.clear();
                dc.wire().bytes().read(buffer);
                e = Envelope.decode(buffer.toByteArray(), index);
            }
            Pending p = new Pending(index, e.bedId(), e.sourceId(), e.seq());
            pending.add(p);
            work = true;
            try {
                producer.send(new ProducerRecord<>(Topics.SAMPLES.name(), e.bedId(), e.block()), (md, ex) -> {
                    if (ex == null) {
                        p.acked = true;
                    } else {
                        p.failed = ex;
                    }
                    LockSupport.unpark(thread);
                });
            } catch (RuntimeException ex) {
                p.failed = ex;
                break;
            }
        }
        return work;
    }

    private static boolean anyFailed(ArrayDeque<Pending> pending) {
        for (Pending p : pending) {
            if (p.failed != null) {
                return true;
            }
        }
        return false;
    }

    /** Moves the named tailer past the acknowledged prefix of {@code pending}; true when it moved. */
    private boolean commitAcknowledged(ArrayDeque<Pending> pending, ExcerptTailer committer) {
        boolean moved = false;
        Pending head;
        while ((head = pending.peek()) != null && head.acked) {
            try (DocumentContext dc = committer.readingDocument()) {
                if (!dc.isPresent() || dc.index() != head.index) {
                    throw new IllegalStateException("named tailer out of step: expected outbox index "
                            + Long.toHexString(head.index) + ", found " + (dc.isPresent() ? Long.toHexString(dc.index()) : "none"));
                }
            }
            pending.poll();
            delivered.incrementAndGet();
            deliveredCounter.increment();
            listener.delivered(head.bed, head.source, head.seq);
            moved = true;
        }
        return moved;
    }

    /** Aborts the producer, waits for every callback, rewinds the reader to the first unacknowledged block. */
    private Producer<String, byte[]> recover(Producer<String, byte[]> producer, ArrayDeque<Pending> pending, ExcerptTailer reader) {
        Exception cause = null;
        for (Pending p : pending) {
            if (p.failed != null) {
                cause = p.failed;
                break;
            }
        }
        failures.increment();
        LOG.warn("relay of gateway {}: send of block from outbox index {} failed ({}); retrying from there with a new producer",
                outbox.gatewayId(), Long.toHexString(pending.peek().index), String.valueOf(cause));
        producer.close(Duration.ZERO);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (Pending p : pending) {
            while (!p.done() && System.nanoTime() < deadline) {
                LockSupport.parkNanos(IDLE_PARK_NANOS);
            }
        }
        long rewind = pending.peek().index;
        pending.clear();
        if (!reader.moveToIndex(rewind)) {
            throw new IllegalStateException("cannot rewind the relay to outbox index " + Long.toHexString(rewind));
        }
        long until = System.nanoTime() + RETRY_BACKOFF_NANOS;
        while (running && System.nanoTime() < until) {
            LockSupport.parkNanos(until - System.nanoTime());
        }
        return null;
    }

    /** The index of the next document of {@code tailer} without consuming it, or -1 when there is none. */
    private static long peekIndex(ExcerptTailer tailer) {
        try (DocumentContext dc = tailer.readingDocument()) {
            if (!dc.isPresent()) {
                return -1;
            }
            dc.rollbackOnClose();
            return dc.index();
        }
    }

    private void deleteCyclesBefore(File current) {
        Path dir = outbox.directory();
        String name = current.getName();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.cq4")) {
            for (Path f : files) {
                String n = f.getFileName().toString();
                if (n.length() == name.length() && n.compareTo(name) < 0) {
                    Files.deleteIfExists(f);
                    LOG.info("outbox cycle file {} fully relayed and deleted", n);
                }
            }
            outbox.queue().refreshDirectoryListing();
        } catch (IOException e) {
            LOG.warn("cannot delete relayed outbox cycle files in {}: {}", dir, e.toString());
        }
    }

    /** Non-null when the relay thread stopped on an error. */
    public Throwable failure() {
        return fatal;
    }

    /** Completes with the cause when the relay thread dies after it started (never on {@link #close()}). */
    public CompletableFuture<Throwable> died() {
        return died;
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(15));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
