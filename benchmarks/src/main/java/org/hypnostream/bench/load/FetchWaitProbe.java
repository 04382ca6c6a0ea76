package org.hypnostream.bench.load;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Does a longer {@code fetch.max.wait.ms} delay a read_committed reader? One transactional producer commits
 * {@code transactions} one-record transactions at random intervals (uniform 0..maxGap) into a one-partition topic;
 * one read_committed consumer per fetch wait reads it at the same time (manual assignment, no group), so every arm
 * sees the same commits. Per arm: latency from {@code commitTransaction} returning to the record's receipt by
 * {@code poll} (it can be slightly negative: the coordinator may write the commit marker before the producer has
 * the response). A fetch that finds nothing stable parks at the broker for up to fetch.max.wait.ms; if the broker
 * completes it when the commit marker moves the last stable offset, the wait costs no latency.
 */
final class FetchWaitProbe {
    /** @param waits per fetch.max.wait.ms, the commit-return -> receipt latency */
    record Result(int transactions, Map<Integer, LatencyStats> waits, LatencyStats commitCall, boolean complete) {
    }

    private FetchWaitProbe() {
    }

    static Result run(String bootstrap, String topic, int[] waitsMs, int transactions, int maxGapMillis, long seed)
            throws InterruptedException {
        long[] committed = new long[transactions];
        long[] commitCall = new long[transactions];
        long[][] received = new long[waitsMs.length][transactions];
        for (long[] r : received) {
            Arrays.fill(r, Long.MIN_VALUE);
        }
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> readers = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        int[] counts = new int[waitsMs.length];
        for (int a = 0; a < waitsMs.length; a++) {
            int arm = a;
            KafkaConsumer<byte[], byte[]> c = consumer(bootstrap, waitsMs[a]);
            c.assign(List.of(new TopicPartition(topic, 0)));
            c.seekToBeginning(c.assignment());
            c.poll(Duration.ZERO);
            Thread t = new Thread(() -> {
                try (c) {
                    while (!stop.get() && counts[arm] < transactions) {
                        var records = c.poll(Duration.ofMillis(200));
                        long now = System.nanoTime();
                        for (ConsumerRecord<byte[], byte[]> r : records) {
                            int seq = ByteBuffer.wrap(r.value()).getInt();
                            received[arm][seq] = now;
                            counts[arm]++;
                        }
                    }
                } catch (RuntimeException e) {
                    failures.add(e);
                }
            }, "fetch-wait-" + waitsMs[a]);
            t.start();
            readers.add(t);
        }
        Random random = new Random(seed);
        try (KafkaProducer<byte[], byte[]> p = producer(bootstrap, topic)) {
            p.initTransactions();
            for (int i = 0; i < transactions; i++) {
                Thread.sleep(random.nextInt(maxGapMillis + 1)); // the load's pacing, not a wait for work
                p.beginTransaction();
                p.send(new ProducerRecord<>(topic, 0, null, ByteBuffer.allocate(4).putInt(i).array()));
                long t0 = System.nanoTime();
                p.commitTransaction();
                committed[i] = System.nanoTime();
                commitCall[i] = committed[i] - t0;
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        for (Thread t : readers) {
            t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
        stop.set(true);
        for (Thread t : readers) {
            t.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("a reader failed: " + failures.get(0), failures.get(0));
        }
        boolean complete = true;
        Map<Integer, LatencyStats> out = new HashMap<>();
        for (int a = 0; a < waitsMs.length; a++) {
            long[] micros = new long[transactions];
            int n = 0;
            for (int i = 0; i < transactions; i++) {
                if (received[a][i] != Long.MIN_VALUE) {
                    micros[n++] = (received[a][i] - committed[i]) / 1000;
                }
            }
            complete &= n == transactions;
            out.put(waitsMs[a], LatencyStats.ofMicros(Arrays.copyOf(micros, n)));
        }
        long[] calls = Arrays.stream(commitCall).map(x -> x / 1000).toArray();
        return new Result(transactions, out, LatencyStats.ofMicros(calls), complete);
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, int fetchMaxWaitMs) {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, fetchMaxWaitMs);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "fetch-wait-" + fetchMaxWaitMs);
        return new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap, String topic) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, topic + "-writer");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, topic + "-writer");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
