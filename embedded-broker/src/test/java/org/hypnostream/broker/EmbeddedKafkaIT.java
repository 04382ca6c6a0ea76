package org.hypnostream.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.hypnostream.common.topic.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaIT {

    @TempDir
    Path dir;

    @Test
    void topicsSurviveARestartAndTransactionsWorkOnOneNode() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir)) {
            kafka.createTopics(2);
            try (var admin = kafka.admin()) {
                assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS))
                        .contains(Topics.SAMPLES.name(), Topics.STAGE_EVENTS.name(), Topics.BEDS.name());
            }
            String topic = Topics.DEAD_LETTER.name();
            try (var p = new KafkaProducer<String, String>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ProducerConfig.TRANSACTIONAL_ID_CONFIG, "it-tx"), new StringSerializer(), new StringSerializer())) {
                p.initTransactions();
                p.beginTransaction();
                p.send(new ProducerRecord<>(topic, "bed-1", "committed"));
                p.commitTransaction();
                p.beginTransaction();
                p.send(new ProducerRecord<>(topic, "bed-1", "aborted"));
                p.abortTransaction();
            }
            kafka.stop();
            assertThat(kafka.isRunning()).isFalse();
            kafka.restart();
            kafka.createTopics(2);
            assertThat(readAll(kafka.bootstrapServers(), topic)).containsExactly("committed");
        }
    }

    private static List<String> readAll(String bootstrap, String topic) {
        List<String> out = new ArrayList<>();
        try (var c = new KafkaConsumer<String, String>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "it-reader",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new StringDeserializer())) {
            c.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline && out.isEmpty()) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
                    out.add(r.value());
                }
            }
            // drain anything else that is already there
            for (ConsumerRecord<String, String> r : c.poll(Duration.ofSeconds(1))) {
                out.add(r.value());
            }
        }
        return out;
    }
}
