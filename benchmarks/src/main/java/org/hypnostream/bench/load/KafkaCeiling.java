package org.hypnostream.bench.load;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.hypnostream.common.config.KafkaClients;
import org.hypnostream.common.event.JsonCodec;

/**
 * The raw Kafka ceiling: real encoded sample blocks produced (with the gateway's producer settings: idempotent,
 * acks=all, linger 5 ms) to a fresh topic and consumed back by one consumer, no processing. With
 * {@code bytesPerSecond == 0} the producer sends as fast as the broker takes it, which is the ceiling.
 */
public final class KafkaCeiling {
    private static final String SENT_AT = "bench-sent-nanos";

    /** @param payloads encoded blocks, sent round-robin; {@code keys[i]} is the key of {@code payloads[i]} */
    public record Load(List<String> keys, List<byte[]> payloads) {
        public Load {
            if (keys.size() != payloads.size() || keys.isEmpty()) {
                throw new IllegalArgumentException("ceiling load needs as many keys as payloads, at least one; got "
                        + keys.size() + " keys and " + payloads.size() + " payloads");
            }
        }
    }

    /**
     * @param producedBytesPerSecond bytes acknowledged per second while producing
     * @param consumedBytesPerSecond bytes consumed per second, first send to last record consumed
     * @param complete               every produced record was consumed before the deadline
     */
    public record Result(long records, long bytes, double seconds, double producedBytesPerSecond,
            double consumedBytesPerSecond, LatencyStats latency, boolean complete, double targetBytesPerSecond) {
        public ObjectNode json() {
            ObjectNode n = JsonCodec.mapper().createObjectNode();
            n.put("target_bytes_per_s", targetBytesPerSecond == 0 ? "unlimited" : String.valueOf(Math.round(targetBytesPerSecond)));
            n.put("records", records);
            n.put("bytes", bytes);
            n.put("seconds", LatencyStats.round(seconds));
            n.put("produced_bytes_per_s", Math.round(producedBytesPerSecond));
            n.put("consumed_bytes_per_s", Math.round(consumedBytesPerSecond));
            n.put("consumed_mib_per_s", LatencyStats.round(consumedBytesPerSecond / (1 << 20)));
            n.put("complete", complete);
            n.set("produce_to_consume_latency", latency.json());
            return n;
        }
    }

    private KafkaCeiling() {
    }

    public static Result run(String bootstrapServers, Admin admin, int partitions, Load load, double bytesPerSecond,
            Duration duration) throws InterruptedException {
        String topic = "bench-ceiling-" + System.currentTimeMillis();
        try {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create ceiling topic " + topic + ": " + e.getMessage(), e);
        }
        awaitLeaders(admin, topic, partitions);
        AtomicLong consumedRecords = new AtomicLong();
        AtomicLong consumedBytes = new AtomicLong();
        AtomicLong lastConsumedNanos = new AtomicLong();
        long[] lat = new long[1 << 22];
        AtomicLong latN = new AtomicLong();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread reader = new Thread(() -> consume(bootstrapServers, topic, partitions, consumedRecords, consumedBytes,
                lastConsumedNanos, lat, latN, stop), "bench-ceiling-consumer");
        reader.setDaemon(true);
        reader.start();

        // not KafkaClients.ordered: the raw ceiling keeps Kafka's default of 5 requests in flight (its topic is fresh
        // but warmed up below, one acknowledged record per partition, before the clock starts)
        Map<String, Object> p = KafkaClients.client(bootstrapServers, Map.of());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-ceiling");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        long records = 0;
        long bytes = 0;
        long start;
        long end;
        AtomicLong acked = new AtomicLong();
        long producedUntil;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            // untimed warm-up, one record per partition acknowledged before the clock starts: a fresh topic's first
            // produce can race its leadership (NOT_LEADER, then out-of-order retries), which is not what we measure
            for (int part = 0; part < partitions; part++) {
                try {
                    producer.send(new ProducerRecord<>(topic, part, "warm-up", new byte[1])).get(60, TimeUnit.SECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    throw new IllegalStateException("ceiling topic " + topic + " partition " + part + " refused the warm-up record: "
                            + e.getMessage(), e);
                }
            }
            start = System.nanoTime();
            end = start + duration.toNanos();
            int i = 0;
            while (System.nanoTime() < end) {
                if (bytesPerSecond > 0) {
                    long due = start + (long) (bytes / bytesPerSecond * 1e9);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                }
                byte[] v = load.payloads().get(i);
                ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, load.keys().get(i), v);
                r.headers().add(SENT_AT, ByteBuffer.allocate(8).putLong(System.nanoTime()).array());
                producer.send(r, (md, ex) -> {
                    if (ex == null) {
                        acked.incrementAndGet();
                    }
                });
                records++;
                bytes += v.length;
                i = (i + 1) % load.payloads().size();
            }
            producer.flush();
            producedUntil = System.nanoTime();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (consumedRecords.get() < records && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        boolean complete = consumedRecords.get() >= records && acked.get() == records;
        stop.set(true);
        reader.join(10_000);
        try {
            admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // left behind in a throwaway broker; harmless
        }
        double produceSeconds = (producedUntil - start) / 1e9;
        double consumeSeconds = Math.max(1e-9, (lastConsumedNanos.get() - start) / 1e9);
        long[] l = java.util.Arrays.copyOf(lat, (int) Math.min(lat.length, latN.get()));
        return new Result(records, bytes, produceSeconds, bytes / produceSeconds, consumedBytes.get() / consumeSeconds,
                LatencyStats.ofMicros(l), complete, bytesPerSecond);
    }

    private static void awaitLeaders(Admin admin, String topic, int partitions) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                var d = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic);
                if (d != null && d.partitions().size() == partitions && d.partitions().stream().allMatch(x -> x.leader() != null)) {
                    return;
                }
            } catch (ExecutionException | TimeoutException e) {
                // not there yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("ceiling topic " + topic + ": partitions have no leader after 30 s");
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    private static void consume(String bootstrap, String topic, int partitions, AtomicLong n, AtomicLong bytes,
            AtomicLong last, long[] lat, AtomicLong latN, java.util.concurrent.atomic.AtomicBoolean stop) {
        Map<String, Object> c = KafkaClients.client(bootstrap, Map.of());
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "bench-ceiling-consumer");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            for (int i = 0; i < partitions; i++) {
                parts.add(new TopicPartition(topic, i));
            }
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            while (!stop.get()) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    long now = System.nanoTime();
                    Header h = r.headers().lastHeader(SENT_AT);
                    if (h == null) {
                        continue; // warm-up record
                    }
                    n.incrementAndGet();
                    bytes.addAndGet(r.value().length);
                    last.set(now);
                    int k = (int) latN.getAndIncrement();
                    if (k < lat.length) {
                        lat[k] = (now - ByteBuffer.wrap(h.value()).getLong()) / 1000;
                    }
                }
            }
        }
    }
}
