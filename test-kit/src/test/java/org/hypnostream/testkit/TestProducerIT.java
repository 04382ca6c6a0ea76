package org.hypnostream.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.hypnostream.broker.EmbeddedKafka;
import org.hypnostream.common.config.KafkaClients;
import org.hypnostream.common.topic.Topic;
import org.hypnostream.common.topic.TopicProvisioner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TestProducer} and {@link GroupProgress} against a real in-process broker. */
class TestProducerIT {
    private static final Topic<String, String> TOPIC = new Topic<>("producer-test.v1", Serdes.String(), Serdes.String(),
            false);
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    static EmbeddedKafka kafka;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start(dir);
        try (Admin admin = kafka.admin()) {
            TopicProvisioner.createTopics(admin, 2, List.<Topic<String, ?>>of(TOPIC));
        }
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void everySendIsAcknowledgedInOrderAndAFailedSendFailsTheTest() {
        TopicPartition p0 = new TopicPartition(TOPIC.name(), 0);
        try (TestProducer producer = TestProducer.to(kafka.bootstrapServers())) {
            RecordMetadata first = producer.send(new ProducerRecord<>(TOPIC.name(), 0, "k", bytes("a")));
            List<RecordMetadata> rest = producer.sendAll(List.of(new ProducerRecord<>(TOPIC.name(), 0, "k", bytes("b")),
                    new ProducerRecord<>(TOPIC.name(), 0, "k", bytes("c"))));
            assertThat(first.offset()).isZero();
            assertThat(rest).extracting(RecordMetadata::offset).containsExactly(1L, 2L);

            // larger than the producer's max.request.size (1 MiB): its future fails, and so does the test
            ProducerRecord<String, byte[]> tooLarge = new ProducerRecord<>(TOPIC.name(), 0, "k", new byte[2 * 1024 * 1024]);
            assertThatThrownBy(() -> producer.send(tooLarge)).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("send to " + TOPIC.name() + " failed");
            assertThatThrownBy(() -> producer.sendAll(List.of(tooLarge))).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("send to " + TOPIC.name() + " failed");
        }
        assertThat(TopicReader.at(kafka.bootstrapServers()).values(TOPIC, Map.of(p0, 3L))).containsExactly("a", "b", "c");
    }

    @Test
    void aGroupIsCaughtUpOnlyOnceItCommittedEveryPartitionToItsEnd() {
        Topic<String, String> topic = new Topic<>("progress-test.v1", Serdes.String(), Serdes.String(), false);
        try (Admin admin = kafka.admin()) {
            TopicProvisioner.createTopics(admin, 2, List.<Topic<String, ?>>of(topic));
        }
        TopicPartition p0 = new TopicPartition(topic.name(), 0);
        TopicPartition p1 = new TopicPartition(topic.name(), 1);
        try (TestProducer producer = TestProducer.to(kafka.bootstrapServers())) {
            producer.send(new ProducerRecord<>(topic.name(), 0, "k", bytes("a")));
            producer.send(new ProducerRecord<>(topic.name(), 0, "k", bytes("b")));
        }
        Map<TopicPartition, Long> ends = kafka.settledEndOffsets(topic.name(), DEADLINE);
        assertThat(ends).containsEntry(p0, 2L).containsEntry(p1, 0L);
        GroupProgress progress = GroupProgress.at(kafka.bootstrapServers());
        String group = "progress-test-group";

        assertThatThrownBy(() -> progress.awaitCaughtUp(group, ends, Duration.ofMillis(500)))
                .isInstanceOf(AssertionError.class).hasMessageContaining(group + " did not commit up to");
        commit(group, p0, 1);
        assertThatThrownBy(() -> progress.awaitCaughtUp(group, ends, Duration.ofMillis(500)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("offset=1");
        int[] looks = {0};
        assertThatThrownBy(() -> progress.awaitCaughtUp(group, ends, DEADLINE, () -> {
            if (++looks[0] == 2) {
                throw new AssertionError("the service died");
            }
        })).isInstanceOf(AssertionError.class).hasMessage("the service died");

        commit(group, p0, 2);
        progress.awaitCaughtUp(group, ends, DEADLINE); // p1 is empty: nothing to commit there
    }

    private static void commit(String group, TopicPartition tp, long offset) {
        Map<String, Object> cfg = KafkaClients.client(kafka.bootstrapServers(), Map.of());
        cfg.put("group.id", group);
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(cfg, new StringDeserializer(), new ByteArrayDeserializer())) {
            c.commitSync(Map.of(tp, new OffsetAndMetadata(offset)));
        }
    }

    private static byte[] bytes(String s) {
        return TOPIC.valueSerde().serializer().serialize(TOPIC.name(), s);
    }
}
