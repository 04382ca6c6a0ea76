package org.hypnostream.bench.load;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.hypnostream.common.config.KafkaClients;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The floor's inference hop: a transactional consume-produce loop that forwards every record unchanged (headers
 * included) and commits its input offsets in the same transaction, with the inference loop's settings: read_committed,
 * fetch.max.wait 50 ms, linger 0, idempotent, acks=all. No micro-batch wait, no model, no state snapshot.
 */
final class PassThroughHop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PassThroughHop.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final String in;
    private final String out;
    private final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean running = true;

    private PassThroughHop(String bootstrapServers, String in, String out, String group) {
        this.in = in;
        this.out = out;
        Map<String, Object> c = KafkaClients.client(bootstrapServers, Map.of());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100);
        c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, group + "-consumer");
        consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
        Map<String, Object> p = KafkaClients.client(bootstrapServers, Map.of());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, group);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 30_000);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, group + "-producer");
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        thread = new Thread(this::loop, "bench-floor-hop");
        thread.setDaemon(true);
    }

    static PassThroughHop start(String bootstrapServers, String in, String out, String group) {
        PassThroughHop h = new PassThroughHop(bootstrapServers, in, out, group);
        h.thread.start();
        return h;
    }

    private void loop() {
        try {
            producer.initTransactions();
            consumer.subscribe(List.of(in));
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
                if (records.isEmpty()) {
                    continue;
                }
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                producer.beginTransaction();
                for (ConsumerRecord<String, byte[]> r : records) {
                    producer.send(new ProducerRecord<>(out, null, r.key(), r.value(), r.headers()));
                    offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                }
                producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
                producer.commitTransaction();
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            // a bench tool: no retry, the floor's records stop arriving and its result says incomplete
            failure.set(e);
            LOG.error("floor pass-through hop stopped: {}", e.toString());
        } finally {
            consumer.close();
            producer.close(Duration.ofSeconds(10));
        }
    }

    /** Why the loop stopped on its own, or null. */
    Throwable failure() {
        return failure.get();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(30_000);
    }
}
