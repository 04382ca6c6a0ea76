package org.hypnostream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.hypnostream.broker.EmbeddedKafka;
import org.hypnostream.common.event.DeadLetter;
import org.hypnostream.common.metrics.MetricsEndpoint;
import org.hypnostream.common.topic.Topic;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.common.wire.Epoch;
import org.hypnostream.common.wire.SampleBlock;
import org.hypnostream.common.wire.SampleBlockCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SC4001 replay through a real in-process KRaft broker and the spine under exactly_once_v2, with a restart of the
 * stream processor halfway on an empty state directory (state comes back from the changelog topics).
 */
class SpineIT {
    @TempDir
    Path dir;

    @Test
    void blocksInEpochsOutThroughARealBrokerAcrossARestart() throws Exception {
        SnippetEdf edf = SnippetEdf.sc4001();
        List<SampleBlock> blocks = edf.sc4001Blocks("bed-sc4001", TestBlocks.SESSION);
        int half = blocks.size() / 2 + 7; // mid-epoch
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"));
                KafkaProducer<String, byte[]> producer = producer(kafka.bootstrapServers())) {
            kafka.createTopics(1);
            // the first block synchronously: right after topic creation the leader may not be known yet, and an
            // idempotent producer whose first batch fails can have later batches accepted before it
            producer.send(new ProducerRecord<>(Topics.SAMPLES.name(), "bed-sc4001", SampleBlockCodec.encode(blocks.get(0)))).get();
            send(producer, blocks.subList(1, half));
            byte[] bad = SampleBlockCodec.encode(blocks.get(0));
            producer.send(new ProducerRecord<>(Topics.SAMPLES.name(), "bed-sc4001", Arrays.copyOf(bad, 50))).get();
            send(producer, blocks.subList(half - 4, half)); // duplicates

            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            try (StreamProcessorApp app = StreamProcessorApp.start(kafka.bootstrapServers(), dir.resolve("state-a"),
                    SpineConfig.defaults(), registry, Map.of());
                    MetricsEndpoint endpoint = MetricsEndpoint.start("127.0.0.1", 0, registry::scrape)) {
                List<Epoch> first = read(kafka.bootstrapServers(), Topics.EEG_EPOCHS, 5, Duration.ofSeconds(40));
                assertThat(first).hasSize(5);
                assertThat(awaitCount(registry, "hypnostream.stream.duplicates", 4)).isTrue();
                assertThat(app.states()).allMatch(s -> s.isRunningOrRebalancing());
                HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + endpoint.port() + "/metrics")).build(), BodyHandlers.ofString());
                assertThat(metrics.body()).contains("hypnostream_stream_epochs_total 5.0",
                        "hypnostream_stream_duplicates_total 4.0", "hypnostream_stream_dead_letters_total{reason=\"decode\"} 1.0",
                        "kafka_stream_");
            }
            send(producer, blocks.subList(half, blocks.size()));
            try (StreamProcessorApp app = StreamProcessorApp.start(kafka.bootstrapServers(), dir.resolve("state-b"),
                    SpineConfig.defaults(), new SimpleMeterRegistry(), Map.of())) {
                List<Epoch> all = read(kafka.bootstrapServers(), Topics.EEG_EPOCHS, 10, Duration.ofSeconds(40));
                assertThat(all).extracting(Epoch::index).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
                String[] inputs = {"EEG Fpz-Cz", "EEG Pz-Oz", "EOG horizontal"};
                for (Epoch e : all) {
                    for (int c = 0; c < 3; c++) {
                        int from = (int) e.index() * 3000;
                        assertThat(e.samples()[c]).as("epoch %d %s", e.index(), inputs[c])
                                .containsExactly(Arrays.copyOfRange(edf.signal(inputs[c]), from, from + 3000));
                    }
                }
                List<DeadLetter> dl = read(kafka.bootstrapServers(), Topics.DEAD_LETTER, 1, Duration.ofSeconds(10));
                assertThat(dl).hasSize(1);
                assertThat(dl.get(0).offset()).isEqualTo(half);
                assertThat(dl.get(0).reason()).contains("SampleBlock");
            }
        }
    }

    private static KafkaProducer<String, byte[]> producer(String servers) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    private static void send(KafkaProducer<String, byte[]> producer, List<SampleBlock> blocks) throws Exception {
        List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
        for (SampleBlock b : blocks) {
            sent.add(producer.send(new ProducerRecord<>(Topics.SAMPLES.name(), b.bedId(), SampleBlockCodec.encode(b))));
        }
        producer.flush();
        for (java.util.concurrent.Future<?> f : sent) {
            f.get(30, java.util.concurrent.TimeUnit.SECONDS); // a failed send fails the test, never loses input silently
        }
    }

    /** Committed records of a topic from the start, until {@code n} are read or the deadline passes. */
    private static <V> List<V> read(String servers, Topic<String, V> topic, int n, Duration timeout) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<V> out = new ArrayList<>();
        try (KafkaConsumer<String, V> c = new KafkaConsumer<>(p, new StringDeserializer(), topic.valueSerde().deserializer())) {
            TopicPartition tp = new TopicPartition(topic.name(), 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (out.size() < n && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, V> r : c.poll(Duration.ofMillis(200))) {
                    out.add(r.value());
                }
            }
            // anything beyond n (a duplicate) shows up in one more short poll
            for (ConsumerRecord<String, V> r : c.poll(Duration.ofMillis(500))) {
                out.add(r.value());
            }
        }
        return out;
    }

    private static boolean awaitCount(MeterRegistry registry, String name, double want) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            var c = registry.find(name).counter();
            if (c != null && c.count() >= want) {
                return c.count() == want;
            }
            synchronized (registry) {
                registry.wait(100);
            }
        }
        return false;
    }
}
