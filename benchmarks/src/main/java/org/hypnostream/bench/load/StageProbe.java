package org.hypnostream.bench.load;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.hypnostream.common.config.KafkaClients;
import org.hypnostream.common.event.StageEvent;
import org.hypnostream.common.time.Micros;
import org.hypnostream.common.topic.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code stage-events.v1} (read_committed, from the beginning, no group) and remembers, per bed and epoch,
 * when the newest block of the epoch was journaled ({@link StageEvent#sourceReceiveMicros()}) and when the event was
 * produced; counts {@code eeg-epochs.v1} records too. The websocket receipts are joined against this afterwards.
 */
public final class StageProbe implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StageProbe.class);

    /** Journal time of the epoch's newest block and production time of its stage event, UTC microseconds. */
    public record Times(long sourceMicros, long producedMicros) {
    }

    private final Map<String, Times> times = new ConcurrentHashMap<>();
    private final AtomicLong epochs = new AtomicLong();
    private final AtomicLong stageEvents = new AtomicLong();
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private volatile boolean running = true;

    private StageProbe(String bootstrapServers) {
        Map<String, Object> p = KafkaClients.committedReader(KafkaClients.client(bootstrapServers, Map.of()), "bench-stage-probe");
        consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        thread = new Thread(this::loop, "bench-stage-probe");
        thread.setDaemon(true);
    }

    public static StageProbe start(String bootstrapServers) {
        StageProbe s = new StageProbe(bootstrapServers);
        s.thread.start();
        return s;
    }

    public static String key(String bed, long epoch) {
        return bed + '#' + epoch;
    }

    private void loop() {
        try {
            List<String> topics = List.of(Topics.STAGE_EVENTS.name(), Topics.EEG_EPOCHS.name());
            var parts = new java.util.ArrayList<org.apache.kafka.common.TopicPartition>();
            for (String t : topics) {
                consumer.partitionsFor(t, Duration.ofSeconds(30))
                        .forEach(i -> parts.add(new org.apache.kafka.common.TopicPartition(t, i.partition())));
            }
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            var deserializer = Topics.STAGE_EVENTS.valueSerde().deserializer();
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.topic().equals(Topics.EEG_EPOCHS.name())) {
                        epochs.incrementAndGet();
                        continue;
                    }
                    try {
                        StageEvent e = deserializer.deserialize(r.topic(), r.value());
                        stageEvents.incrementAndGet();
                        times.putIfAbsent(key(e.bedId(), e.epochIndex()), new Times(e.sourceReceiveMicros(),
                                e.producedAt() == null ? 0 : Micros.of(e.producedAt())));
                    } catch (RuntimeException ex) {
                        LOG.warn("stage probe: undecodable record {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), ex.toString());
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("stage probe stopped: {}", e.toString());
        } finally {
            consumer.close();
        }
    }

    public Times times(String bed, long epoch) {
        return times.get(key(bed, epoch));
    }

    /**
     * Drops the times kept per (bed, epoch) (the counts stay): the benchmark's own records, so a heap figure taken
     * after this is the monitor's. {@link #times} answers null for every epoch read before this.
     */
    public void forgetTimes() {
        times.clear();
    }

    public long epochs() {
        return epochs.get();
    }

    public long stageEvents() {
        return stageEvents.get();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(10_000);
    }
}
