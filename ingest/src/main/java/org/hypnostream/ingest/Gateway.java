package org.hypnostream.ingest;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.hypnostream.common.config.KafkaClients;
import org.hypnostream.common.event.Alert;
import org.hypnostream.common.event.AlertPriority;
import org.hypnostream.common.event.AlertState;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.common.wire.SampleBlock;
import org.hypnostream.ingest.outbox.Outbox;
import org.hypnostream.ingest.outbox.OutboxUnwritableException;
import org.hypnostream.ingest.outbox.Relay;
import org.hypnostream.ingest.source.AmplifierSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The amplifier gateway: a pump thread moves blocks from every source into the outbox journal (paced), and the
 * relay sends them from the journal to {@code samples.v1}. When the outbox cannot take blocks, the pump keeps them,
 * retries, and the gateway raises technical alert OUTBOX_UNWRITABLE on {@code alerts.v1} for each of its beds.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    private final GatewayConfig config;
    private final List<AmplifierSource> sources;
    private final InstantSource clock;
    private final Outbox outbox;
    private final Relay relay;
    private final Pump pump;
    private final Thread pumpThread;
    private final Map<String, AtomicLong[]> perBed = new ConcurrentHashMap<>();
    private final Map<String, String> alertIds = new ConcurrentHashMap<>();
    private Producer<String, byte[]> alertProducer;
    private final CompletableFuture<Throwable> failure = new CompletableFuture<>();

    private Gateway(GatewayConfig config, List<AmplifierSource> sources, InstantSource clock, MeterRegistry registry,
                    Outbox.FreeSpace freeSpace) {
        this.config = config;
        this.sources = List.copyOf(sources);
        this.clock = clock;
        for (AmplifierSource s : sources) {
            counters(s.bedId());
        }
        this.outbox = Outbox.open(config.outboxDir(), config.gatewayId(), clock, registry,
                Outbox.rollCycle(config.outboxRollMinutes()),
                config.outboxMinFreeBytes(), freeSpace);
        Relay r;
        try {
            r = Relay.start(outbox, () -> new KafkaProducer<>(producerProperties(config), new StringSerializer(),
                    new ByteArraySerializer()), (bed, source, seq) -> counters(bed)[1].incrementAndGet(), registry);
        } catch (RuntimeException e) {
            outbox.close();
            throw e;
        }
        this.relay = r;
        this.pump = new Pump(this.sources, outbox, clock, config.pacing(), new PumpEvents());
        this.pumpThread = new Thread(this::pump, "pump-" + config.gatewayId());
        relay.died().thenAccept(failure::complete);
        this.pumpThread.setDaemon(true);
    }

    /** Opens the outbox, starts the relay (resuming unacknowledged blocks) and the pump. */
    public static Gateway start(GatewayConfig config, List<AmplifierSource> sources, InstantSource clock, MeterRegistry registry) {
        return start(config, sources, clock, registry, Outbox.FreeSpace.FILE_STORE);
    }

    /** As above with the outbox's free-space probe given (tests shrink and grow the disk). */
    static Gateway start(GatewayConfig config, List<AmplifierSource> sources, InstantSource clock, MeterRegistry registry,
            Outbox.FreeSpace freeSpace) {
        Gateway g = new Gateway(config, sources, clock, registry, freeSpace);
        g.pumpThread.start();
        LOG.info("gateway {} started: {} sources, pacing {}, outbox {} (journals only above {} MiB free), kafka {}",
                config.gatewayId(), sources.size(), config.pacing(), config.outboxDir(), config.outboxMinFreeBytes() >> 20,
                config.bootstrapServers());
        return g;
    }

    private void pump() {
        try {
            pump.run();
        } catch (RuntimeException | Error e) {
            LOG.error("pump of gateway {} stopped: {}", config.gatewayId(), e.toString(), e);
            failure.complete(new IllegalStateException("pump of gateway " + config.gatewayId() + " stopped: " + e, e));
        }
    }

    /**
     * Completes with the cause when the pump or the relay thread dies (never on {@link #close()}; sources that end
     * are not a failure).
     */
    public CompletableFuture<Throwable> failure() {
        return failure;
    }

    /**
     * The relay producer's batch.size. With one request in flight (ADR 0010) a request carries at most
     * {@code max.request.size} (1 MiB): four partitions' 256 KiB batches fill it as two 512 KiB ones did, while each
     * open batch (one per partition with a block, every 5 ms linger, however few bytes it holds) takes half the memory
     * from the producer's pool, which keeps what it allocated (ADR 0028).
     */
    static final int BATCH_BYTES = 256 * 1024;

    static Properties producerProperties(GatewayConfig config) {
        // tuning defaults a kafka.* setting may replace; order (idempotent, acks=all, one request in flight) it may not
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "gateway-" + config.gatewayId());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "60000");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(BATCH_BYTES));
        p.putAll(KafkaClients.client(config.bootstrapServers(), config.kafkaOverrides()));
        Properties props = new Properties();
        props.putAll(KafkaClients.ordered(p));
        return props;
    }

    private AtomicLong[] counters(String bed) {
        return perBed.computeIfAbsent(bed, b -> new AtomicLong[] {new AtomicLong(), new AtomicLong()});
    }

    public GatewayStats stats() {
        Map<String, GatewayStats.Bed> beds = new LinkedHashMap<>();
        perBed.forEach((bed, c) -> beds.put(bed, new GatewayStats.Bed(c[0].get(), c[1].get())));
        return new GatewayStats(beds, outbox.journaled(), relay.delivered(), relay.lag(), outbox.refused());
    }

    /** True once every source has ended and every block it gave is journaled. */
    public boolean sourcesEnded() {
        return pump.drained();
    }

    /**
     * Waits until every source has ended and every journaled block is acknowledged by Kafka.
     *
     * @throws IllegalStateException when that does not happen within {@code timeout}
     */
    public void awaitSourcesDrained(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!pump.drained()) {
            if (!pumpThread.isAlive() && !pump.drained()) {
                throw new IllegalStateException("gateway " + config.gatewayId() + " was stopped before its sources ended");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("gateway " + config.gatewayId() + ": sources not ended within " + timeout);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        long left = Math.max(0, deadline - System.nanoTime());
        if (!relay.awaitCaughtUp(Duration.ofNanos(left))) {
            throw new IllegalStateException("gateway " + config.gatewayId() + ": " + relay.lag()
                    + " journaled blocks not acknowledged by Kafka within " + timeout);
        }
    }

    public GatewayConfig config() {
        return config;
    }

    @Override
    public void close() {
        pump.stop();
        try {
            pumpThread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        relay.close();
        outbox.close();
        synchronized (this) {
            if (alertProducer != null) {
                alertProducer.close(Duration.ofSeconds(2));
            }
        }
        for (AmplifierSource s : sources) {
            try {
                s.close();
            } catch (Exception e) {
                LOG.warn("closing source of bed {} failed: {}", s.bedId(), e.toString());
            }
        }
        LOG.info("gateway {} closed: {}", config.gatewayId(), stats());
    }

    private synchronized void publishAlerts(OutboxUnwritableException e, boolean active) {
        try {
            if (alertProducer == null) {
                Map<String, Object> p = new HashMap<>();
                producerProperties(config).forEach((k, v) -> p.put((String) k, v));
                p.put(ProducerConfig.CLIENT_ID_CONFIG, "gateway-" + config.gatewayId() + "-alerts");
                alertProducer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
            }
            Instant now = clock.instant();
            for (String bed : perBed.keySet()) {
                String id = alertIds.computeIfAbsent(bed, b -> config.gatewayId() + "-" + b + "-outbox-" + now.toEpochMilli());
                Alert a = new Alert(id, bed, false, OutboxUnwritableException.ALERT_CODE, AlertPriority.HIGH,
                        active ? AlertState.ACTIVE : AlertState.CLEARED,
                        active ? "gateway " + config.gatewayId() + " cannot journal samples; they are held at the gateway: " + e.getMessage()
                                : "gateway " + config.gatewayId() + " journals samples again",
                        now, now, null, null);
                alertProducer.send(new ProducerRecord<>(Topics.ALERTS.name(), bed,
                        Topics.ALERTS.valueSerde().serializer().serialize(Topics.ALERTS.name(), a)));
                if (!active) {
                    alertIds.remove(bed);
                }
            }
        } catch (RuntimeException ex) {
            LOG.error("gateway {}: cannot publish the OUTBOX_UNWRITABLE alert: {}", config.gatewayId(), ex.toString());
        }
    }

    private final class PumpEvents implements Pump.Events {
        @Override
        public void journaled(SampleBlock block) {
            counters(block.bedId())[0].incrementAndGet();
        }

        @Override
        public void outboxUnwritable(OutboxUnwritableException e) {
            LOG.error("gateway {}: {}", config.gatewayId(), e.getMessage());
            publishAlerts(e, true);
        }

        @Override
        public void outboxRecovered() {
            LOG.info("gateway {}: outbox {} writable again", config.gatewayId(), config.outboxDir());
            publishAlerts(null, false);
        }

        @Override
        public void sourceFailed(AmplifierSource source, RuntimeException e) {
            LOG.error("gateway {}: source of bed {} failed and is stopped: {}", config.gatewayId(), source.bedId(), e.toString());
        }
    }
}
