package org.hypnostream.bench.load;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.hypnostream.common.config.KafkaClients;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The floor's last reader: a read_committed consumer of the floor's last topic (fetch.max.wait 50 ms, as the
 * dashboard's feed) that takes each record's latency from its send stamp to the moment it was polled, and counts
 * distinct and repeated records by their sequence number. Records without a sequence number are warm-ups.
 */
final class FloorProbe implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FloorProbe.class);

    /** What the probe has read so far. */
    record Counts(long delivered, long duplicates, long[] latenciesMicros, long[] seqs) {
        /** The latencies of the records whose sequence number is at least {@code fromSeq}. */
        long[] latenciesFrom(long fromSeq) {
            long[] out = new long[latenciesMicros.length];
            int k = 0;
            for (int i = 0; i < latenciesMicros.length; i++) {
                if (seqs[i] >= fromSeq) {
                    out[k++] = latenciesMicros[i];
                }
            }
            return Arrays.copyOf(out, k);
        }
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final int partitions;
    private final Thread thread;
    private final AtomicLong warmUps = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final BitSet seen = new BitSet();
    private long duplicates;
    private long[] latencies = new long[1 << 12];
    private long[] seqs = new long[1 << 12];
    private int n;
    private volatile boolean running = true;

    private FloorProbe(String bootstrapServers, String topic, int partitions) {
        this.topic = topic;
        this.partitions = partitions;
        Map<String, Object> c = KafkaClients.committedReader(KafkaClients.client(bootstrapServers, Map.of()), "bench-floor-probe");
        c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
        thread = new Thread(this::loop, "bench-floor-probe");
        thread.setDaemon(true);
    }

    static FloorProbe start(String bootstrapServers, String topic, int partitions) {
        FloorProbe p = new FloorProbe(bootstrapServers, topic, partitions);
        p.thread.start();
        return p;
    }

    private void loop() {
        try {
            List<TopicPartition> parts = new ArrayList<>();
            for (int i = 0; i < partitions; i++) {
                parts.add(new TopicPartition(topic, i));
            }
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    long now = System.nanoTime();
                    Header sent = r.headers().lastHeader(NullPipeline.SENT_NANOS);
                    Header seq = r.headers().lastHeader(NullPipeline.SEQ);
                    if (sent == null || seq == null) {
                        warmUps.incrementAndGet();
                        continue;
                    }
                    add(ByteBuffer.wrap(seq.value()).getLong(), (now - ByteBuffer.wrap(sent.value()).getLong()) / 1000);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("floor probe stopped: {}", e.toString());
        } finally {
            consumer.close();
        }
    }

    private synchronized void add(long seq, long micros) {
        if (seen.get((int) seq)) {
            duplicates++;
            return;
        }
        seen.set((int) seq);
        if (n == latencies.length) {
            latencies = Arrays.copyOf(latencies, n * 2);
            seqs = Arrays.copyOf(seqs, n * 2);
        }
        seqs[n] = seq;
        latencies[n++] = micros;
        delivered.incrementAndGet();
    }

    long warmUps() {
        return warmUps.get();
    }

    long delivered() {
        return delivered.get();
    }

    synchronized Counts counts() {
        return new Counts(n, duplicates, Arrays.copyOf(latencies, n), Arrays.copyOf(seqs, n));
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(10_000);
    }
}
