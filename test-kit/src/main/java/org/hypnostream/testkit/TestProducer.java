package org.hypnostream.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.hypnostream.common.config.KafkaClients;
import org.hypnostream.common.topic.Topic;

/**
 * The tests' one way to write input to a topic: an idempotent producer ({@link KafkaClients#ordered}: {@code acks=all},
 * ONE request in flight) that checks every send. Both rules are there because an idempotent producer with several
 * requests in flight may, on a loaded broker, fail a retried first batch (out-of-order sequence) while later batches
 * land: without them a test could lose its input silently and then fail, or pass, for the wrong reason. A send that
 * fails or is not acknowledged within {@link #SEND_DEADLINE} fails the test with an {@link AssertionError} naming the
 * topic.
 */
public final class TestProducer implements AutoCloseable {
    /** How long one acknowledgement may take. */
    public static final Duration SEND_DEADLINE = Duration.ofSeconds(30);

    private final KafkaProducer<String, byte[]> producer;

    private TestProducer(KafkaProducer<String, byte[]> producer) {
        this.producer = producer;
    }

    /** A producer to the cluster at {@code bootstrapServers} (plaintext). */
    public static TestProducer to(String bootstrapServers) {
        return to(bootstrapServers, Map.of());
    }

    /** A producer with extra client {@code settings} (TLS, SASL, ...); the ordering settings are set over them. */
    public static TestProducer to(String bootstrapServers, Map<String, String> settings) {
        return new TestProducer(new KafkaProducer<>(KafkaClients.ordered(KafkaClients.client(bootstrapServers, settings)),
                new StringSerializer(), new ByteArraySerializer()));
    }

    /** Sends {@code value} under {@code key}, serialised with the topic's value serde, and waits for its acknowledgement. */
    public <V> RecordMetadata send(Topic<String, V> topic, String key, V value) {
        return send(record(topic, key, value));
    }

    /** The record of {@code value} under {@code key} for {@link #sendAll}, serialised with the topic's value serde. */
    public static <V> ProducerRecord<String, byte[]> record(Topic<String, V> topic, String key, V value) {
        return new ProducerRecord<>(topic.name(), key, topic.valueSerde().serializer().serialize(topic.name(), value));
    }

    /** Sends one record and waits for its acknowledgement. */
    public RecordMetadata send(ProducerRecord<String, byte[]> record) {
        return acknowledged(record, producer.send(record));
    }

    /** Sends every record in order, then checks every acknowledgement (the first failed one fails the test). */
    public List<RecordMetadata> sendAll(List<ProducerRecord<String, byte[]>> records) {
        List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
        records.forEach(r -> sent.add(producer.send(r)));
        producer.flush();
        List<RecordMetadata> out = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            out.add(acknowledged(records.get(i), sent.get(i)));
        }
        return out;
    }

    private static RecordMetadata acknowledged(ProducerRecord<String, byte[]> record, Future<RecordMetadata> sent) {
        try {
            return sent.get(SEND_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("send to " + record.topic() + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("send to " + record.topic() + " not acknowledged within " + SEND_DEADLINE, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while sending to " + record.topic(), e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
