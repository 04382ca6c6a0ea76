package org.hypnostream.app;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.hypnostream.common.config.KafkaClients;
import org.hypnostream.common.topic.Topics;

/**
 * Watches {@code stage-events.v1} (committed events only, from the beginning) and completes with the bed of the first
 * stage event, so that the demo can say when the dashboard has something to show.
 */
final class FirstStages implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final CompletableFuture<String> firstBed = new CompletableFuture<>();
    private final Thread thread;
    private volatile boolean running = true;

    private FirstStages(String bootstrapServers, int partitions) {
        consumer = new KafkaConsumer<>(KafkaClients.committedReader(KafkaClients.client(bootstrapServers, Map.of()),
                "hypnostream-demo-first-stages"), new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> all = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            all.add(new TopicPartition(Topics.STAGE_EVENTS.name(), p));
        }
        consumer.assign(all);
        consumer.seekToBeginning(all);
        thread = new Thread(this::run, "demo-first-stages");
        thread.setDaemon(true);
    }

    /** Starts watching a topic of {@code partitions} partitions. */
    static FirstStages watch(String bootstrapServers, int partitions) {
        FirstStages f = new FirstStages(bootstrapServers, partitions);
        f.thread.start();
        return f;
    }

    /** Completes with the bed of the first stage event; never, if none comes before {@link #close}. */
    CompletableFuture<String> firstBed() {
        return firstBed;
    }

    private void run() {
        try {
            while (running && !firstBed.isDone()) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    firstBed.complete(r.key());
                    break;
                }
            }
        } catch (WakeupException e) {
            // closed
        } catch (RuntimeException e) {
            firstBed.completeExceptionally(e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(5_000);
    }
}
