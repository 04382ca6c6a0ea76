package org.hypnostream.inference.service;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.hypnostream.common.config.KafkaClients;
import org.hypnostream.common.event.StateSnapshot;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.inference.runtime.MicroBatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One transaction loop of the inference service ({@link Loop}): one thread polls its lanes' input topics
 * (read_committed, as a static member of the loop's group), micro-batches the records per lane, scores due batches,
 * and produces the events, alerts and dead letters together with the input offsets in ONE Kafka transaction (the
 * loop's own transactional id), so a crash at any point yields every output exactly once after the restart. Each
 * transaction also carries a {@code inference-state.v1} snapshot of every bed it advanced (ADR 0011). On partition
 * assignment, and after a failed transaction, {@link LaneRecovery} restores the lanes' beds.
 */
final class TransactionLoop {
    private static final Logger LOG = LoggerFactory.getLogger(TransactionLoop.class);
    private static final Duration IDLE_POLL = Duration.ofMillis(200);
    private static final Duration REBUILD_DEADLINE = Duration.ofSeconds(60);
    private static final int MAX_CONSECUTIVE_FAILURES = 5;
    /** Default producer transaction.timeout.ms; see {@link #producerProps}. */
    static final int TRANSACTION_TIMEOUT_MS = 30_000;
    /**
     * Consumer fetch.max.wait.ms: how long a fetch that finds nothing committed parks at the broker. The broker
     * completes a parked read_committed fetch as soon as a commit marker moves the last stable offset, so a longer
     * wait costs no latency ({@code bench fetch-wait}: commit -> receipt p99 the same at 50 and 500 ms) and an
     * idle loop fetches 10 times less often than at 50.
     */
    static final int FETCH_MAX_WAIT_MS = 500;
    /**
     * How long an input of a lane off the stage path ({@link Lane#offStagePath()}, the leg windows) may wait for a
     * transaction to ride in (ADR 0033): the next stage transaction carries it, or one of its own after this long.
     * The same 250 ms as PLM scoring's commit interval, the reader of its output (ADR 0023). A longer configured
     * {@code inference.batch.wait.ms} still applies.
     */
    static final Duration OFF_STAGE_PATH_WAIT = Duration.ofMillis(250);

    private final InferenceConfig cfg;
    private final Loop loop;
    private final String name;
    private final Map<String, Lane> lanes = new HashMap<>();
    private final TransactionBatches<ConsumerRecord<String, byte[]>, Scored> batches = new TransactionBatches<>();
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    /** The consumer's own metrics (records-lag-max, fetch rates), tagged with the loop; no bed ids in them. */
    private final KafkaClientMetrics consumerMetrics;
    private final Timer transactions;
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final CountDownLatch assigned = new CountDownLatch(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final CompletableFuture<Throwable> died = new CompletableFuture<>();
    private final LaneRecovery recovery;
    private volatile boolean running = true;

    TransactionLoop(InferenceConfig cfg, Loop loop, List<Lane> laneList, MeterRegistry registry, InstantSource clock) {
        this.cfg = cfg;
        this.loop = loop;
        this.name = loop == Loop.LIVE ? cfg.instanceId() : cfg.instanceId() + " " + loop.tag();
        for (Lane lane : laneList) {
            if (lane.loop() != loop || lanes.put(lane.inputTopic(), lane) != null) {
                throw new IllegalArgumentException("lane " + lane.name() + " (" + lane.loop() + ", " + lane.inputTopic()
                        + ") on the " + loop + " loop of lanes " + laneList.stream().map(Lane::name).toList());
            }
            DistributionSummary size = DistributionSummary.builder("hypnostream.inference.batch.size").tags(lane.tags())
                    .description("inputs per model call").register(registry);
            Timer wait = Timer.builder("hypnostream.inference.queue.wait").tags(lane.tags())
                    .description("oldest input's wait for its batch").publishPercentileHistogram().register(registry);
            batches.put(lane.inputTopic(), new MicroBatcher<>(cfg.batchSize(), batchWait(cfg, lane), clock,
                    batch -> lane.score(batch, clock.instant()), (n, w) -> {
                        size.record(n);
                        wait.record(w);
                    }));
        }
        this.transactions = Timer.builder("hypnostream.inference.loop.transaction").tags("loop", loop.tag())
                .description("scoring the due batches and committing them in one transaction")
                .publishPercentileHistogram().register(registry);
        this.producer = new KafkaProducer<>(producerProps(cfg, loop), new StringSerializer(), new ByteArraySerializer());
        this.consumer = new KafkaConsumer<>(consumerProps(cfg, loop), new StringDeserializer(), new ByteArrayDeserializer());
        this.consumerMetrics = new KafkaClientMetrics(consumer, Tags.of("loop", loop.tag()));
        consumerMetrics.bindTo(registry);
        this.recovery = new LaneRecovery(cfg, loop, lanes, batches.batchers(), consumer, REBUILD_DEADLINE,
                assigned::countDown);
        this.thread = new Thread(this::run, loop == Loop.LIVE ? "inference-" + cfg.instanceId()
                : "inference-" + loop.tag() + "-" + cfg.instanceId());
    }

    /** The wait of a lane's micro-batcher: the configured one, at least {@link #OFF_STAGE_PATH_WAIT} off the stage path. */
    static Duration batchWait(InferenceConfig cfg, Lane lane) {
        Duration w = cfg.batchWait();
        return lane.offStagePath() && w.compareTo(OFF_STAGE_PATH_WAIT) < 0 ? OFF_STAGE_PATH_WAIT : w;
    }

    static Map<String, Object> producerProps(InferenceConfig cfg, Loop loop) {
        String id = loop.transactionalId(cfg);
        Map<String, Object> p = KafkaClients.transactional(cfg.kafkaClient(), id);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        // a tuning default a kafka.* setting may replace: when this instance dies, its open transaction holds back
        // read_committed readers of its output partitions (and so another instance taking its beds over) until the
        // coordinator aborts it after this long; a restart of the same instance id fences it at once instead
        p.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, TRANSACTION_TIMEOUT_MS);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, id + "-producer");
        return p;
    }

    static Map<String, Object> consumerProps(InferenceConfig cfg, Loop loop) {
        Map<String, Object> c = KafkaClients.groupReader(cfg.kafkaClient(), loop.groupId(), cfg.instanceId(),
                loop.transactionalId(cfg) + "-consumer");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, loop.maxPollRecords(cfg));
        // a tuning default a kafka.* setting may replace: a fetch that finds nothing committed yet parks at the
        // broker for at most this long (Kafka's default too; explicit, as the choice is measured)
        c.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, FETCH_MAX_WAIT_MS);
        return c;
    }

    Loop loop() {
        return loop;
    }

    List<String> laneNames() {
        return lanes.values().stream().map(Lane::name).sorted().toList();
    }

    void start() {
        thread.start();
    }

    boolean awaitAssignment(Duration timeout) throws InterruptedException {
        return assigned.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean isRunning() {
        return running && stopped.getCount() > 0;
    }

    CompletableFuture<Throwable> died() {
        return died;
    }

    boolean assigned() {
        return assigned.getCount() == 0;
    }

    Throwable failure() {
        return failure.get();
    }

    private void run() {
        try {
            producer.initTransactions();
            consumer.subscribe(lanes.keySet(), recovery);
            int failures = 0;
            while (running) {
                var records = consumer.poll(nextPollTimeout());
                for (ConsumerRecord<String, byte[]> r : records) {
                    batches.add(r.topic(), r);
                }
                try {
                    Timer.Sample sample = Timer.start();
                    List<Scored> out = batches.flushIfDue();
                    if (!out.isEmpty()) {
                        commit(out);
                        sample.stop(transactions);
                    }
                    failures = 0;
                } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException e) {
                    throw e;
                } catch (KafkaException | IllegalStateException | IllegalArgumentException e) {
                    if (++failures >= MAX_CONSECUTIVE_FAILURES) {
                        throw e;
                    }
                    LOG.warn("inference {}: transaction failed ({}), rewinding to committed offsets", name, e.toString());
                    abortQuietly();
                    recovery.rewind(consumer.assignment());
                }
            }
        } catch (WakeupException e) {
            if (running) {
                failure.set(e);
            }
        } catch (RuntimeException | Error e) {
            failure.set(e);
            LOG.error("inference {} stopped: {}", name, e.toString(), e);
        } finally {
            running = false;
            closeClients();
            stopped.countDown();
            Throwable cause = failure.get();
            if (cause != null) {
                died.complete(new IllegalStateException("inference loop " + name + " stopped: " + cause, cause));
            }
        }
    }

    private Duration nextPollTimeout() {
        Duration d = batches.untilDue().orElse(IDLE_POLL);
        return d.compareTo(IDLE_POLL) < 0 ? d : IDLE_POLL;
    }

    private void commit(List<Scored> out) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        producer.beginTransaction();
        for (Scored s : out) {
            for (ProducerRecord<String, byte[]> r : s.records()) {
                producer.send(r);
            }
            offsets.merge(s.source(), new OffsetAndMetadata(s.offset() + 1),
                    (a, b) -> a.offset() >= b.offset() ? a : b);
        }
        for (Lane lane : lanes.values()) {
            for (StateSnapshot snap : lane.snapshots()) {
                producer.send(new ProducerRecord<>(Topics.INFERENCE_STATE.name(),
                        StateSnapshot.key(snap.lane(), snap.bedId()),
                        Topics.INFERENCE_STATE.valueSerde().serializer().serialize(Topics.INFERENCE_STATE.name(), snap)));
            }
        }
        producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
        producer.commitTransaction();
    }

    private void abortQuietly() {
        try {
            producer.abortTransaction();
        } catch (KafkaException e) {
            LOG.debug("abort after failure: {}", e.toString());
        }
    }

    private void closeClients() {
        consumerMetrics.close();
        try {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        } catch (RuntimeException e) {
            LOG.debug("consumer close: {}", e.toString());
        }
        try {
            producer.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.debug("producer close: {}", e.toString());
        }
    }

    /** Asks the loop to stop (it leaves at its next poll, or at once when parked in one). */
    void stop() {
        running = false;
        consumer.wakeup();
    }

    /** Waits until the loop stopped; false when it did not within {@code timeout}. */
    boolean awaitStopped(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    String name() {
        return name;
    }
}
