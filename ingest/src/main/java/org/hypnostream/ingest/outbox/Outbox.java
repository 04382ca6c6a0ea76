package org.hypnostream.ingest.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.StoreFileListener;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.hypnostream.common.wire.SampleBlock;
import org.hypnostream.common.wire.SampleBlockCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's write-ahead journal (a Chronicle Queue in one directory per gateway): every block is appended here
 * before anything is sent to Kafka; the {@link Relay} sends it from here. See docs/adr/0010-outbox-delivery.md.
 *
 * <p>{@link #append} refuses (with {@link OutboxUnwritableException}) when the directory cannot take more data,
 * checking free space before writing so that a full disk never corrupts the memory-mapped journal.
 */
public final class Outbox implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
    /** Refuse to journal below this much free disk space (bytes). */
    public static final long DEFAULT_MIN_FREE_BYTES = 256L << 20;
    /** Minutes per cycle file unless configured: hourly. */
    public static final int DEFAULT_ROLL_MINUTES = 60;
    /** The cycle lengths {@link #rollCycle} supports, in minutes, as configuration help and errors name them. */
    public static final String ROLL_MINUTES_CHOICES = "5, 10, 20, 30, 60, 120, 240, 360 or 1440";
    private static final long FREE_SPACE_CHECK_MICROS = 1_000_000;

    /** Usable bytes on the file system holding the outbox (a seam: tests shrink the disk without filling it). */
    @FunctionalInterface
    public interface FreeSpace {
        FreeSpace FILE_STORE = dir -> Files.getFileStore(dir).getUsableSpace();

        long usableBytes(Path dir) throws IOException;
    }

    private final Path dir;
    private final String gatewayId;
    private final SingleChronicleQueue queue;
    private final InstantSource clock;
    private final long minFreeBytes;
    private final FreeSpace freeSpace;
    private final Counter journaledCounter;
    private final Counter refusedCounter;
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong journaled = new AtomicLong();
    private volatile Runnable onAppend = () -> { };
    private ExcerptAppender appender;
    private long lastSpaceCheckMicros = Long.MIN_VALUE;

    private Outbox(Path dir, String gatewayId, SingleChronicleQueue queue, InstantSource clock, long minFreeBytes,
                   FreeSpace freeSpace, MeterRegistry registry) {
        this.dir = dir;
        this.gatewayId = gatewayId;
        this.queue = queue;
        this.clock = clock;
        this.minFreeBytes = minFreeBytes;
        this.freeSpace = freeSpace;
        this.refusedCounter = Counter.builder("hypnostream.ingest.outbox.refusals").tag("gateway", gatewayId)
                .description("appends the outbox refused (disk below the free-space minimum or unwritable); the block is"
                        + " kept by the gateway and retried, never dropped").register(registry);
        this.journaledCounter = Counter.builder("hypnostream.ingest.blocks.journaled").tag("gateway", gatewayId)
                .description("sample blocks written to the outbox journal").register(registry);
    }

    public static Outbox open(Path dir, String gatewayId, InstantSource clock, MeterRegistry registry) {
        return open(dir, gatewayId, clock, registry, rollCycle(DEFAULT_ROLL_MINUTES), DEFAULT_MIN_FREE_BYTES);
    }

    /**
     * The cycle of {@code minutes} per file ({@link #ROLL_MINUTES_CHOICES}). Shorter cycles free relayed data
     * sooner (a cycle file is deleted only once wholly relayed) at the cost of more files.
     */
    public static RollCycle rollCycle(int minutes) {
        return switch (minutes) {
            case 5 -> RollCycles.FIVE_MINUTELY;
            case 10 -> RollCycles.TEN_MINUTELY;
            case 20 -> RollCycles.TWENTY_MINUTELY;
            case 30 -> RollCycles.HALF_HOURLY;
            case 60 -> RollCycles.FAST_HOURLY;
            case 120 -> RollCycles.TWO_HOURLY;
            case 240 -> RollCycles.FOUR_HOURLY;
            case 360 -> RollCycles.SIX_HOURLY;
            case 1440 -> RollCycles.FAST_DAILY;
            default -> throw new IllegalArgumentException("outbox roll cycle of " + minutes
                    + " minutes is not supported: use " + ROLL_MINUTES_CHOICES);
        };
    }

    /**
     * @param rollCycle    how often a new cycle file starts (fully relayed cycle files are deleted)
     * @param minFreeBytes the free disk space below which {@link #append} refuses
     */
    public static Outbox open(Path dir, String gatewayId, InstantSource clock, MeterRegistry registry, RollCycle rollCycle,
                              long minFreeBytes) {
        return open(dir, gatewayId, clock, registry, rollCycle, minFreeBytes, FreeSpace.FILE_STORE);
    }

    /** As above, with the free-space probe given (tests simulate a filling and an emptied disk). */
    public static Outbox open(Path dir, String gatewayId, InstantSource clock, MeterRegistry registry, RollCycle rollCycle,
                              long minFreeBytes, FreeSpace freeSpace) {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(freeSpace, "freeSpace");
        if (minFreeBytes < 0) {
            throw new IllegalArgumentException("outbox minimum free bytes " + minFreeBytes + " is negative");
        }
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".probe", ".tmp");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new OutboxUnwritableException("outbox directory " + dir + " of gateway " + gatewayId
                    + " is not a writable directory: " + e, e);
        }
        SingleChronicleQueue q;
        try {
            q = SingleChronicleQueueBuilder.single(dir.toFile()).rollCycle(rollCycle)
                    .timeProvider(() -> clock.millis()).storeFileListener(new Listener()).build();
        } catch (RuntimeException e) {
            throw new OutboxUnwritableException("cannot open the outbox journal in " + dir + " of gateway " + gatewayId + ": " + e, e);
        }
        LOG.info("outbox of gateway {} opened in {} (roll cycle {})", gatewayId, dir, rollCycle);
        return new Outbox(dir, gatewayId, q, clock, minFreeBytes, freeSpace, registry);
    }

    /** Journals one block; returns its journal index. Thread-safe (one writer at a time). */
    public synchronized long append(SampleBlock block) {
        try {
            checkSpace(block);
        } catch (OutboxUnwritableException e) {
            refused.incrementAndGet();
            refusedCounter.increment();
            throw e;
        }
        byte[] entry = new Envelope(block.bedId(), block.sourceId(), block.seq(), SampleBlockCodec.encode(block)).encode();
        long index;
        try {
            if (appender == null) {
                appender = queue.createAppender();
                appender.singleThreadedCheckDisabled(true);
            }
            try (DocumentContext dc = appender.writingDocument()) {
                dc.wire().bytes().write(entry);
            }
            index = appender.lastIndexAppended();
        } catch (RuntimeException | Error e) {
            if (e instanceof VirtualMachineError && !(e instanceof InternalError)) {
                throw e;
            }
            refused.incrementAndGet();
            refusedCounter.increment();
            throw new OutboxUnwritableException("outbox " + dir + " of gateway " + gatewayId + " cannot journal block "
                    + block.seq() + " from " + block.sourceId() + ": " + e, e);
        }
        journaled.incrementAndGet();
        journaledCounter.increment();
        onAppend.run();
        return index;
    }

    private void checkSpace(SampleBlock block) {
        long now = clock.millis() * 1000;
        if (now - lastSpaceCheckMicros < FREE_SPACE_CHECK_MICROS && lastSpaceCheckMicros != Long.MIN_VALUE) {
            return;
        }
        long free;
        try {
            free = freeSpace.usableBytes(dir);
        } catch (IOException e) {
            throw new OutboxUnwritableException("outbox " + dir + " of gateway " + gatewayId + " is unreadable: " + e, e);
        }
        if (free < minFreeBytes) {
            lastSpaceCheckMicros = Long.MIN_VALUE; // check again on the next attempt
            throw new OutboxUnwritableException("outbox " + dir + " of gateway " + gatewayId + " is full: " + (free >> 20)
                    + " MiB free, at least " + (minFreeBytes >> 20) + " MiB needed; block " + block.seq() + " from "
                    + block.sourceId() + " was not journaled and is kept by the gateway", null);
        }
        lastSpaceCheckMicros = now;
    }

    /** Appends refused since the outbox was opened (each retry of a held block counts again). */
    public long refused() {
        return refused.get();
    }

    /** Blocks journaled by this process since it opened the outbox. */
    public long journaled() {
        return journaled.get();
    }

    public Path directory() {
        return dir;
    }

    public String gatewayId() {
        return gatewayId;
    }

    SingleChronicleQueue queue() {
        return queue;
    }

    void onAppend(Runnable r) {
        onAppend = r;
    }

    @Override
    public synchronized void close() {
        if (appender != null) {
            appender.close();
        }
        queue.close();
        LOG.info("outbox of gateway {} closed", gatewayId);
    }

    /** Logs cycle files as they are opened and released. */
    private static final class Listener implements StoreFileListener {
        @Override
        public void onAcquired(int cycle, File file) {
            LOG.debug("outbox cycle {} acquired: {}", cycle, file);
        }

        @Override
        public void onReleased(int cycle, File file) {
            LOG.debug("outbox cycle {} released: {}", cycle, file);
        }
    }
}
