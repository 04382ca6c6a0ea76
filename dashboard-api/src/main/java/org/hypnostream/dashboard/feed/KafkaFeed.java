package org.hypnostream.dashboard.feed;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.hypnostream.common.config.KafkaClients;
import org.hypnostream.common.event.DeadLetter;
import org.hypnostream.common.topic.Topic;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.common.wire.EmgSegment;
import org.hypnostream.common.wire.Epoch;
import org.hypnostream.dashboard.eeg.EegFrame;
import org.hypnostream.dashboard.eeg.EmgTrace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the event topics from their beginning (read_committed, no consumer group, nothing committed), so every
 * start rebuilds every night; topics created later are picked up within a few seconds. A record that cannot be
 * decoded is logged once with topic/partition/offset and handed to the dead-letter callback, never dropped silently.
 */
public final class KafkaFeed implements EventSource {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaFeed.class);
    /** Consumer fetch.max.wait.ms by default (a kafka.* setting replaces it); see {@link #props}. */
    static final String FETCH_MAX_WAIT_MS = "500";
    /** The topics the dashboard shows. */
    public static final List<Topic<String, ?>> TOPICS = List.of(Topics.BEDS, Topics.STAGE_EVENTS, Topics.LEG_EVENTS,
            Topics.PLM_EVENTS, Topics.ALERTS, Topics.ALERT_ACTIONS, Topics.NEUROMUSCULAR_EVENTS, Topics.STUDY_EVENTS,
            Topics.BEDSIDE_EVENTS, Topics.REVIEW_EVENTS, Topics.REVISED_STAGES, Topics.ALARM_NOTICES);

    /**
     * Read by the live feed only: epochs become {@code EegFrame}s (traces + spectrogram) and needle-EMG segments
     * {@code EmgTrace}s (min/max envelope) on the feed's frame thread ({@link FrameWorker}), not on the thread that
     * delivers stage events.
     */
    static final List<Topic<String, ?>> LIVE_TOPICS = java.util.stream.Stream.concat(TOPICS.stream(),
            java.util.stream.Stream.of(Topics.EEG_EPOCHS, Topics.EMG_SEGMENTS)).toList();

    private final String bootstrapServers;
    private final Map<String, String> kafkaSettings;
    private final Consumer<DeadLetter> deadLetters;
    private volatile boolean running = true;
    private final CompletableFuture<Throwable> failure = new CompletableFuture<>();
    private KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;
    /** Epoch / EMG records waiting for the frame thread at most (~72 KB each). */
    static final int FRAMES_IN_FLIGHT = 1024;

    public KafkaFeed(String bootstrapServers, Consumer<DeadLetter> deadLetters) {
        this(bootstrapServers, Map.of(), deadLetters);
    }

    /** @param kafkaSettings extra consumer properties (TLS, SASL, ...); the feed's own settings are set over them */
    public KafkaFeed(String bootstrapServers, Map<String, String> kafkaSettings, Consumer<DeadLetter> deadLetters) {
        this.bootstrapServers = bootstrapServers;
        this.kafkaSettings = Map.copyOf(kafkaSettings);
        this.deadLetters = deadLetters;
    }

    static Properties props(String bootstrap, Map<String, String> kafkaSettings) {
        Properties p = new Properties();
        p.putAll(KafkaClients.committedReader(KafkaClients.client(bootstrap, kafkaSettings), "hypnostream-dashboard"));
        // tuning defaults a kafka.* setting may replace: a fetch that finds nothing committed yet parks at the broker
        // for at most fetch.max.wait.ms (500, Kafka's default too): the broker completes it as soon as a commit marker
        // moves the last stable offset, so it costs no latency (bench fetch-wait) and an idle feed fetches twice a second
        p.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        p.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, FETCH_MAX_WAIT_MS);
        return p;
    }

    @Override
    public void start(Consumer<List<DashboardEvent>> batches) {
        consumer = new KafkaConsumer<>(props(bootstrapServers, kafkaSettings), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        thread = new Thread(() -> loop(batches), "dashboard-kafka-feed");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop(Consumer<List<DashboardEvent>> batches) {
        Map<String, Topic<String, ?>> byName = new HashMap<>();
        LIVE_TOPICS.forEach(t -> byName.put(t.name(), t));
        Set<TopicPartition> assigned = new HashSet<>();
        long nextRefresh = 0;
        FrameWorker<ConsumerRecord<byte[], byte[]>> frames = new FrameWorker<>("dashboard-eeg-frames", FRAMES_IN_FLIGHT,
                r -> decode(byName.get(r.topic()), r, deadLetters), batches);
        try {
            while (running) {
                if (System.nanoTime() >= nextRefresh) {
                    assignNew(consumer, assigned, LIVE_TOPICS);
                    nextRefresh = System.nanoTime() + (assigned.isEmpty() ? 500_000_000L : 5_000_000_000L);
                }
                if (assigned.isEmpty()) {
                    consumer.poll(Duration.ZERO);
                    continue;
                }
                List<DashboardEvent> batch = new ArrayList<>();
                List<ConsumerRecord<byte[], byte[]>> display = new ArrayList<>();
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (isDisplay(r.topic())) {
                        display.add(r);
                        continue;
                    }
                    DashboardEvent v = decode(byName.get(r.topic()), r, deadLetters);
                    if (v != null) {
                        batch.add(v);
                    }
                }
                if (!batch.isEmpty()) {
                    batches.accept(batch);
                }
                frames.submit(display, () -> running);
            }
        } catch (WakeupException e) {
            if (running) {
                LOG.error("dashboard feed woken up while running", e);
            }
        } catch (RuntimeException | Error e) {
            LOG.error("dashboard feed stopped: {}", e.toString(), e);
            failure.complete(new IllegalStateException("dashboard feed stopped: " + e, e));
        } finally {
            frames.close();
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** Epochs and EMG segments: display frames computed off the event thread. */
    static boolean isDisplay(String topic) {
        return topic.equals(Topics.EEG_EPOCHS.name()) || topic.equals(Topics.EMG_SEGMENTS.name());
    }

    static void assignNew(KafkaConsumer<byte[], byte[]> consumer, Set<TopicPartition> assigned, List<Topic<String, ?>> topics) {
        List<TopicPartition> fresh = new ArrayList<>();
        Map<String, List<PartitionInfo>> existing = consumer.listTopics(Duration.ofSeconds(5));
        for (Topic<String, ?> t : topics) {
            List<PartitionInfo> parts = existing.get(t.name());
            if (parts == null) {
                continue;
            }
            for (PartitionInfo pi : parts) {
                TopicPartition tp = new TopicPartition(pi.topic(), pi.partition());
                if (!assigned.contains(tp)) {
                    fresh.add(tp);
                }
            }
        }
        if (!fresh.isEmpty()) {
            assigned.addAll(fresh);
            consumer.assign(assigned);
            consumer.seekToBeginning(fresh);
            LOG.info("dashboard reading {} new partitions from the beginning: {}", fresh.size(), fresh);
        }
    }

    /** The record as a dashboard event (epochs and EMG segments as display frames), or null for a tombstone. */
    static DashboardEvent decode(Topic<String, ?> topic, ConsumerRecord<byte[], byte[]> r, Consumer<DeadLetter> deadLetters) {
        try {
            if (r.value() == null) {
                return null; // a tombstone (compacted beds.v1): nothing to show
            }
            Object v = topic.valueSerde().deserializer().deserialize(r.topic(), r.value());
            return DashboardEvent.of(v instanceof Epoch e ? EegFrame.from(e) : v instanceof EmgSegment s ? EmgTrace.from(s) : v);
        } catch (RuntimeException e) {
            LOG.warn("dashboard: bad record {}-{}@{} key {}: {}", r.topic(), r.partition(), r.offset(),
                    r.key() == null ? null : new String(r.key(), java.nio.charset.StandardCharsets.UTF_8), e.getMessage());
            deadLetters.accept(DeadLetter.of("dashboard-api", r.topic(), r.partition(), r.offset(),
                    r.key() == null ? null : new String(r.key(), java.nio.charset.StandardCharsets.UTF_8),
                    String.valueOf(e.getMessage()), r.value(), Instant.now()));
            return null;
        }
    }

    /**
     * Reads every event topic from the beginning to its end offsets as of now and hands each decoded event to
     * {@code sink} (for the EDF export); fails if the end is not reached within {@code timeout}.
     */
    public static void readToEnd(String bootstrapServers, Duration timeout, Consumer<DashboardEvent> sink,
            Consumer<DeadLetter> deadLetters) {
        readToEnd(bootstrapServers, Map.of(), timeout, sink, deadLetters);
    }

    /** As above, with extra consumer properties (TLS, SASL, ...). */
    public static void readToEnd(String bootstrapServers, Map<String, String> kafkaSettings, Duration timeout,
            Consumer<DashboardEvent> sink, Consumer<DeadLetter> deadLetters) {
        Map<String, Topic<String, ?>> byName = new HashMap<>();
        TOPICS.forEach(t -> byName.put(t.name(), t));
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props(bootstrapServers, kafkaSettings), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            Set<TopicPartition> parts = new HashSet<>();
            assignNew(c, parts, TOPICS);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (end.entrySet().stream().anyMatch(e -> c.position(e.getKey()) < e.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("export: topics not read to their end within " + timeout);
                }
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    DashboardEvent v = decode(byName.get(r.topic()), r, deadLetters);
                    if (v != null) {
                        sink.accept(v);
                    }
                }
            }
        }
    }

    @Override
    public CompletableFuture<Throwable> failure() {
        return failure;
    }

    @Override
    public void close() {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
