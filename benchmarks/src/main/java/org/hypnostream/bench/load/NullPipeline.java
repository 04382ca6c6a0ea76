package org.hypnostream.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.hypnostream.common.config.KafkaClients;
import org.hypnostream.common.event.JsonCodec;

/**
 * The latency floor: the real pipeline's three exactly-once Kafka hops with no work in them, on the same broker.
 * Encoded sample blocks are produced with the gateway's producer settings (idempotent, acks=all, one request in
 * flight, linger 5 ms) at the load's block rate to a {@code samples}-like topic; a Kafka Streams pass-through
 * ({@link NullSpineTopology}: exactly_once_v2, the spine's commit interval, each block written to a cached,
 * changelogged persistent store) forwards it to an {@code epochs}-like topic; a transactional consume-produce loop
 * ({@link PassThroughHop}: read_committed, the inference loop's producer and fetch settings) forwards it to an
 * {@code events}-like topic; a read_committed {@link FloorProbe} measures send -> receipt. All topics have the run's
 * partition count, keyed by bed. What the real pipeline adds on top of this is ours; this much is Kafka's.
 */
public final class NullPipeline {
    static final String SENT_NANOS = "bench-floor-sent-nanos";
    static final String SEQ = "bench-floor-seq";

    /** The floor's topics and groups, fresh per run so that a second run on the same broker starts clean. */
    public record Names(String samples, String epochs, String events, String spineApplicationId, String hopGroup) {
        public static Names fresh() {
            String s = Long.toString(System.currentTimeMillis());
            return new Names("bench-floor-samples-" + s, "bench-floor-epochs-" + s, "bench-floor-events-" + s,
                    "bench-floor-spine-" + s, "bench-floor-hop-" + s);
        }
    }

    /**
     * @param beds           distinct bed keys, as in the real run
     * @param blocksPerSecond per bed (the montage's block rate)
     * @param blocks         real encoded sample blocks, sent round-robin
     */
    public record Load(int beds, double blocksPerSecond, List<byte[]> blocks) {
        public Load {
            if (beds < 1 || !(blocksPerSecond > 0) || blocks.isEmpty()) {
                throw new IllegalArgumentException("floor load needs at least one bed, a positive block rate and one block; got "
                        + beds + " beds, " + blocksPerSecond + " blocks/s, " + blocks.size() + " blocks");
            }
        }
    }

    /**
     * @param sent       records produced and acknowledged while the clock ran
     * @param delivered  distinct records the probe read from the last topic
     * @param duplicates records the probe read more than once (exactly-once: 0)
     * @param latencySecondHalf the latency of the records sent in the second half of the paced span (sequence
     *                   number >= half the records sent: the pacing is even), the steady state
     * @param complete   every sent record was delivered once before the deadline
     */
    public record Result(long sent, long delivered, long duplicates, double seconds, LatencyStats latency,
            LatencyStats latencySecondHalf, boolean complete) {
        public ObjectNode json() {
            ObjectNode n = JsonCodec.mapper().createObjectNode();
            n.put("records_sent", sent);
            n.put("records_delivered", delivered);
            n.put("duplicates", duplicates);
            n.put("seconds", LatencyStats.round(seconds));
            n.put("records_per_s", LatencyStats.round(sent / Math.max(1e-9, seconds)));
            n.put("complete", complete);
            return n;
        }

        /**
         * Adds the floor to a {@code bench pipeline} JSON object: {@code floor_latency} and
         * {@code floor_latency_second_half} (the fields of its {@code e2e_latency}), {@code null_pipeline} (counts) and,
         * when the object has {@code e2e_latency} (and {@code e2e_latency_second_half}), the real pipeline's p50 and p99
         * as ratios to the floor's, over the whole runs and over their second halves. A ratio without samples on either
         * side, or with a floor of 0 ms, is null (no number to judge by).
         */
        public void addTo(ObjectNode pipeline) {
            pipeline.set("floor_latency", latency.json());
            pipeline.set("floor_latency_second_half", latencySecondHalf.json());
            pipeline.set("null_pipeline", json());
            putRatios(pipeline, "e2e_to_floor", pipeline.get("e2e_latency"), latency);
            putRatios(pipeline, "e2e_to_floor_second_half", pipeline.get("e2e_latency_second_half"), latencySecondHalf);
        }

        private static void putRatios(ObjectNode pipeline, String prefix, JsonNode e2e, LatencyStats floor) {
            if (e2e == null) {
                return;
            }
            boolean some = e2e.path("count").asLong(0) > 0 && floor.count() > 0;
            putRatio(pipeline, prefix + "_p50_ratio", some ? ratio(e2e.path("p50_ms").asDouble(Double.NaN), floor.p50Millis()) : null);
            putRatio(pipeline, prefix + "_p99_ratio", some ? ratio(e2e.path("p99_ms").asDouble(Double.NaN), floor.p99Millis()) : null);
        }

        private static void putRatio(ObjectNode n, String field, Double r) {
            if (r == null) {
                n.putNull(field);
            } else {
                n.put(field, r);
            }
        }

        /** a / b to two decimals, null when either is not a finite number or b is not above 0. */
        static Double ratio(double a, double b) {
            return Double.isFinite(a) && Double.isFinite(b) && b > 0 ? Math.round(a / b * 100) / 100.0 : null;
        }
    }

    private NullPipeline() {
    }

    /** Runs the floor for {@code duration} of paced load, then waits (at most 60 s) for every record to arrive. */
    public static Result run(String bootstrapServers, Admin admin, int partitions, Load load, Duration duration, Path stateDir)
            throws InterruptedException {
        Names names = Names.fresh();
        createTopics(admin, names, partitions);
        try (FloorProbe probe = FloorProbe.start(bootstrapServers, names.events(), partitions);
                PassThroughHop hop = PassThroughHop.start(bootstrapServers, names.epochs(), names.events(), names.hopGroup());
                KafkaStreams spine = NullSpineTopology.start(bootstrapServers, names, stateDir);
                KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProperties(bootstrapServers),
                        new StringSerializer(), new ByteArraySerializer())) {
            awaitRunning(spine);
            warmUp(producer, probe, names.samples(), partitions);
            return paced(producer, probe, names.samples(), load, duration);
        }
    }

    private static Result paced(KafkaProducer<String, byte[]> producer, FloorProbe probe, String topic, Load load,
            Duration duration) throws InterruptedException {
        double perSecond = load.beds() * load.blocksPerSecond();
        List<String> keys = new ArrayList<>();
        for (int b = 1; b <= load.beds(); b++) {
            keys.add("bed-" + b);
        }
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        long seq = 0;
        while (true) {
            long due = start + (long) (seq / perSecond * 1e9);
            if (due >= end) {
                break;
            }
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            byte[] block = load.blocks().get((int) ((seq / load.beds()) % load.blocks().size()));
            ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, keys.get((int) (seq % load.beds())), block);
            r.headers().add(SENT_NANOS, longBytes(System.nanoTime())).add(SEQ, longBytes(seq));
            producer.send(r);
            seq++;
        }
        producer.flush();
        double seconds = (System.nanoTime() - start) / 1e9;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (probe.delivered() < seq && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        FloorProbe.Counts c = probe.counts();
        return new Result(seq, c.delivered(), c.duplicates(), seconds, LatencyStats.ofMicros(c.latenciesMicros()),
                LatencyStats.ofMicros(c.latenciesFrom(seq / 2)), c.delivered() == seq && c.duplicates() == 0);
    }

    /**
     * One untimed record per partition through all three hops before the clock starts: fresh topics, a Streams
     * client's first assignment and the hop's first transaction are start-up, not what the floor measures.
     */
    private static void warmUp(KafkaProducer<String, byte[]> producer, FloorProbe probe, String topic, int partitions)
            throws InterruptedException {
        for (int p = 0; p < partitions; p++) {
            try {
                producer.send(new ProducerRecord<>(topic, p, "warm-up", new byte[1])).get(60, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("floor topic " + topic + " partition " + p + " refused the warm-up record: "
                        + e.getMessage(), e);
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (probe.warmUps() < partitions) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("floor: " + probe.warmUps() + " of " + partitions
                        + " warm-up records came through the three hops in 120 s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    private static void awaitRunning(KafkaStreams spine) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (spine.state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline || spine.state() == KafkaStreams.State.ERROR) {
                throw new IllegalStateException("floor: pass-through Streams client is " + spine.state() + " after start");
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    private static void createTopics(Admin admin, Names names, int partitions) {
        List<NewTopic> topics = List.of(names.samples(), names.epochs(), names.events()).stream()
                .map(t -> new NewTopic(t, partitions, (short) 1)).toList();
        try {
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create the floor's topics " + names + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted creating the floor's topics", e);
        }
    }

    /** The gateway's producer: linger 5 ms, 512 KiB batches, idempotent, acks=all, one request in flight. */
    static Properties producerProperties(String bootstrapServers) {
        var p = KafkaClients.client(bootstrapServers, java.util.Map.of());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-floor-gateway");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(512 * 1024));
        Properties props = new Properties();
        props.putAll(KafkaClients.ordered(p));
        return props;
    }

    static byte[] longBytes(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }
}
