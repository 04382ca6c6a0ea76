package org.hypnostream.stream;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.hypnostream.common.config.KafkaClients;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the stream processor's topologies, each as its own {@link KafkaStreams} with exactly_once_v2 and its own
 * application id and state directory. Today: the spine ({@code hypnostream-spine}); other topologies (PLM
 * scoring) are added as further {@link Spec}s via {@link #start(String, Path, MeterRegistry, Map, List)}.
 */
public final class StreamProcessorApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamProcessorApp.class);
    public static final String SPINE_APPLICATION_ID = "hypnostream-spine";

    /**
     * One topology to run under its own application id, with its own Kafka Streams tuning (applied over the common
     * settings of {@link #properties}, under the operator's overrides).
     */
    public record Spec(String applicationId, Topology topology, Map<String, String> tuning) {
        /**
         * With the common settings only ({@link #COMMIT_INTERVAL_MS}; Kafka's producer batch and Streams cache
         * defaults): the spine's own sizes are {@link #spineTuning()}, PLM's and alarm escalation's {@link #offStagePath()}.
         */
        public Spec(String applicationId, Topology topology) {
            this(applicationId, topology, Map.of());
        }

        public Spec {
            Objects.requireNonNull(applicationId, "applicationId");
            Objects.requireNonNull(topology, "topology");
            tuning = Map.copyOf(tuning);
        }
    }

    private final List<KafkaStreams> streams;
    private final List<KafkaStreamsMetrics> bound;
    private final CompletableFuture<Throwable> failure;
    private volatile boolean closing;

    private StreamProcessorApp(List<KafkaStreams> streams, List<KafkaStreamsMetrics> bound, CompletableFuture<Throwable> failure) {
        this.streams = streams;
        this.bound = bound;
        this.failure = failure;
    }

    /** The spine topology with Micrometer counters bound to {@code registry}. */
    public static Spec spine(SpineConfig config, MeterRegistry registry) {
        return new Spec(SPINE_APPLICATION_ID,
                SpineTopology.build(config, new MicrometerSpineMetrics(registry), InstantSource.system()), spineTuning());
    }

    /** Starts the spine; {@code overrides} are Kafka Streams properties applied last. */
    public static StreamProcessorApp start(String bootstrapServers, Path stateDir, SpineConfig config, MeterRegistry registry,
            Map<String, String> overrides) {
        return start(bootstrapServers, stateDir, registry, overrides, List.of(spine(config, registry)));
    }

    /** Starts every given topology; on failure the ones already started are closed. */
    public static StreamProcessorApp start(String bootstrapServers, Path stateDir, MeterRegistry registry,
            Map<String, String> overrides, List<Spec> specs) {
        List<KafkaStreams> started = new ArrayList<>();
        List<KafkaStreamsMetrics> bound = new ArrayList<>();
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        StreamProcessorApp app = new StreamProcessorApp(started, bound, failure);
        try {
            for (Spec spec : specs) {
                KafkaStreams ks = new KafkaStreams(spec.topology(), properties(bootstrapServers, stateDir, spec, overrides));
                AtomicReference<Throwable> lastError = new AtomicReference<>();
                ks.setUncaughtExceptionHandler(e -> {
                    lastError.set(e);
                    if (isError(e)) {
                        LOG.error("{}: stream thread died of {}; shutting the client down", spec.applicationId(), e.toString(), e);
                        return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
                    }
                    LOG.error("{}: stream thread failed; replacing it", spec.applicationId(), e);
                    return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
                });
                ks.setStateListener((now, before) -> {
                    if (now == KafkaStreams.State.ERROR || (!app.closing && now == KafkaStreams.State.PENDING_SHUTDOWN)) {
                        Throwable cause = lastError.get();
                        failure.complete(new IllegalStateException(spec.applicationId() + " went from " + before + " to "
                                + now + (cause == null ? "" : ": " + cause), cause));
                    }
                });
                KafkaStreamsMetrics m = new KafkaStreamsMetrics(ks);
                m.bindTo(registry);
                bound.add(m);
                started.add(ks);
                ks.start();
                LOG.info("{} started against {} (state in {})", spec.applicationId(), bootstrapServers,
                        stateDir.resolve(spec.applicationId()));
            }
            return app;
        } catch (RuntimeException e) {
            app.close();
            throw e;
        }
    }

    /**
     * An {@link Error} (out of memory, a killed thread) is not retried on a fresh stream thread: the client shuts down
     * (ERROR), {@link #failure()} completes, and the process ends for its supervisor to restart it. Exceptions
     * replace the thread.
     */
    static boolean isError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof Error) {
                return true;
            }
        }
        return false;
    }

    /** Completes with the cause when a topology's client goes to ERROR, or shuts down without {@link #close()}. */
    public CompletableFuture<Throwable> failure() {
        return failure;
    }

    /** True while every topology's client is RUNNING (not while it rebalances). */
    public boolean ready() {
        return streams.stream().allMatch(s -> s.state() == KafkaStreams.State.RUNNING);
    }

    /**
     * The spine producer's batch.size: Kafka's default 16 KiB is smaller than its windows (an epoch ~36 KB, a leg
     * window ~38 KB, a needle-EMG segment of the default 23,436 samples ~94 KB), which would then each take a buffer
     * of their own outside the producer's pool. 128 KiB holds the largest of them; a producer keeps one such buffer
     * per partition it wrote in a commit interval (~33 for the spine), so 256 KiB (until ADR 0028) held twice the
     * heap for the same records. See {@link #spineTuning()}.
     */
    public static final int PRODUCER_BATCH_BYTES = 128 * 1024;

    /**
     * The spine's Streams record cache ({@code statestore.cache.max.bytes}; Kafka's default 10 MiB). Its cached stores
     * need it to write a bed's heads once per commit (50 ms) instead of once per block: what one commit interval
     * dirties (~3.7 KB of heads and chunks per block, ADR 0017: ~0.3 MB per 50 ms at 1,600 beds in real time). Above
     * that the cache only kept clean sample chunks the spine never reads back (its timelines are in memory): 10 MiB
     * of them from ~100 beds up (ADR 0028).
     */
    public static final long SPINE_CACHE_BYTES = 2L * 1024 * 1024;

    /**
     * batch.size of the PLM and alarm escalation producers: their records (PLM events, alerts, alarm notices, and
     * their stores' JSON values) are hundreds of bytes to a few KiB; a producer keeps every batch buffer it allocated
     * for reuse, so the spine's 256 KiB here made each of their open partitions hold 256 KiB (ADR 0028). A larger
     * record still goes, in a batch of its own size.
     */
    public static final int OFF_STAGE_PATH_BATCH_BYTES = 32 * 1024;

    /**
     * buffer.memory of the PLM and alarm escalation producers (Kafka's default 32 MiB): the most their batches may
     * hold at once, so the most their producers' pools can keep after a backlog; by estimate (not measured) ~1 s of
     * their writes while catching up at 1,600 beds.
     */
    public static final long OFF_STAGE_PATH_BUFFER_BYTES = 4L * 1024 * 1024;

    /** Default Streams commit interval (ms) under exactly-once; see {@link #properties}. */
    public static final long COMMIT_INTERVAL_MS = 50;

    /**
     * Commit interval (ms) of the topologies off the live stage path (PLM scoring, alarm escalation): each commit is a
     * transaction (its partitions added, offsets, end, markers) whether it carries one record or fifty, and these two
     * do not feed the stage events a ward waits for; see {@link #offStagePath}.
     */
    public static final long OFF_STAGE_PATH_COMMIT_INTERVAL_MS = 250;

    /**
     * Tuning of a topology whose outputs are not on the live stage path (ADR 0023): commits every
     * {@link #OFF_STAGE_PATH_COMMIT_INTERVAL_MS} instead of {@link #COMMIT_INTERVAL_MS}, so up to 200 ms more
     * (100 ms more on average: half an interval) before a PLM event, a PLM alert or an alarm notice is readable.
     * Sized for small records (ADR 0028): {@link #OFF_STAGE_PATH_BATCH_BYTES} batches, {@link #OFF_STAGE_PATH_BUFFER_BYTES}
     * of producer buffer and no record cache.
     */
    public static Map<String, String> offStagePath() {
        return Map.of(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.toString(OFF_STAGE_PATH_COMMIT_INTERVAL_MS),
                StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), Integer.toString(OFF_STAGE_PATH_BATCH_BYTES),
                StreamsConfig.producerPrefix(ProducerConfig.BUFFER_MEMORY_CONFIG), Long.toString(OFF_STAGE_PATH_BUFFER_BYTES),
                // their stores are not cached (each write goes to the changelog at once), so a cache would hold nothing
                StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, "0");
    }

    /**
     * Tuning of the spine: the {@link #COMMIT_INTERVAL_MS} of the common settings, {@link #PRODUCER_BATCH_BYTES}
     * batches and a {@link #SPINE_CACHE_BYTES} record cache (ADR 0028).
     */
    public static Map<String, String> spineTuning() {
        // the spine's records (epochs, leg windows, its changelogged state) are mostly larger than the 16 KiB default
        // batch: the producer then allocates a fresh buffer per batch instead of reusing its pool (the spine thread's
        // largest allocation site but one in the 2026-12-07 profile). Batching only; delivery and transactions as before
        return Map.of(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), Integer.toString(PRODUCER_BATCH_BYTES),
                StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, Long.toString(SPINE_CACHE_BYTES));
    }

    static Properties properties(String bootstrapServers, Path stateDir, Spec spec, Map<String, String> overrides) {
        Properties p = new Properties();
        p.putAll(KafkaClients.exactlyOnceStreams(KafkaClients.client(bootstrapServers, Map.of()), spec.applicationId()));
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.resolve(spec.applicationId()).toString());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "1");
        // exactly-once: a read_committed consumer sees an epoch only after the transaction that produced it commits, and
        // Streams commits every commit.interval.ms (EOS default 100 ms): half of that on average is added to every
        // epoch's latency. 50 ms halves it for ~10 more small transactions per second (overridable: kafka.commit.interval.ms)
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.toString(COMMIT_INTERVAL_MS));
        // producer batch, buffer and record cache sizes are each application's own (spineTuning, offStagePath)
        p.putAll(spec.tuning());
        p.putAll(overrides);
        return p;
    }

    /** True once every topology is RUNNING, false if that did not happen within {@code timeout}. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (streams.stream().allMatch(s -> s.state() == KafkaStreams.State.RUNNING)) {
                return true;
            }
            synchronized (this) {
                wait(50);
            }
        }
        return false;
    }

    public List<KafkaStreams.State> states() {
        return streams.stream().map(KafkaStreams::state).toList();
    }

    @Override
    public void close() {
        closing = true;
        for (KafkaStreams s : streams) {
            // leave the group so that a restarted instance gets the tasks at once, not after the session timeout
            s.close(CloseOptions.timeout(Duration.ofSeconds(30))
                    .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        }
        for (KafkaStreamsMetrics m : bound) {
            m.close();
        }
        LOG.info("stream processor stopped");
    }
}
