package org.hypnostream.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.hypnostream.broker.EmbeddedKafka;
import org.hypnostream.common.config.KafkaClients;
import org.hypnostream.common.topic.Topic;
import org.hypnostream.common.topic.TopicProvisioner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The test kit's Kafka parts against one real in-process broker: {@link TopicReader}, {@link TestProducer} and
 * {@link GroupProgress}.
 */
class TestKitKafkaIT {
    private static final Topic<String, String> TOPIC = new Topic<>("reader-test.v1", Serdes.String(), Serdes.String(),
            false);
    private static final Topic<String, String> PRODUCED = new Topic<>("producer-test.v1", Serdes.String(), Serdes.String(),
            false);
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    static EmbeddedKafka kafka;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start(dir);
        try (Admin admin = kafka.admin()) {
            TopicProvisioner.createTopics(admin, 2, List.<Topic<String, ?>>of(TOPIC, PRODUCED));
        }
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    private static KafkaProducer<String, String> transactional(String id) {
        Map<String, Object> p = KafkaClients.transactional(KafkaClients.client(kafka.bootstrapServers(), Map.of()), id);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, id);
        KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        producer.initTransactions();
        return producer;
    }

    @Test
    void readsEveryCommittedRecordToTheSettledEndAndNothingAborted() {
        try (KafkaProducer<String, String> p = transactional("reader-it-1")) {
            p.beginTransaction();
            for (int i = 0; i < 5; i++) {
                p.send(new ProducerRecord<>(TOPIC.name(), 0, "bed-" + i, "committed-" + i));
                p.send(new ProducerRecord<>(TOPIC.name(), 1, "bed-" + i, "committed-" + (10 + i)));
            }
            p.commitTransaction();
            p.beginTransaction();
            p.send(new ProducerRecord<>(TOPIC.name(), 0, "bed-x", "aborted"));
            p.abortTransaction();
            p.beginTransaction();
            p.send(new ProducerRecord<>(TOPIC.name(), 1, "bed-5", "committed-last"));
            p.commitTransaction();
        }
        Map<TopicPartition, Long> ends = kafka.settledEndOffsets(TOPIC.name(), DEADLINE);
        List<ConsumerRecord<String, String>> got = TopicReader.at(kafka.bootstrapServers()).records(TOPIC, ends);

        assertThat(got).extracting(ConsumerRecord::value).containsExactly("committed-0", "committed-1", "committed-2",
                "committed-3", "committed-4", "committed-10", "committed-11", "committed-12", "committed-13",
                "committed-14", "committed-last");
        assertThat(got).extracting(ConsumerRecord::partition).containsOnly(0, 1);
        assertThat(TopicReader.at(kafka.bootstrapServers()).values(TOPIC, ends)).hasSize(11).doesNotContain("aborted");
    }

    @Test
    void anEndThatIsNeverReachedFailsNamingTheTopicAndWhereTheReadStopped() {
        TopicPartition p0 = new TopicPartition(TOPIC.name(), 0);
        assertThatThrownBy(() -> TopicReader.at(kafka.bootstrapServers()).records(TOPIC, Map.of(p0, 1_000_000L),
                Duration.ofSeconds(2)))
                .isInstanceOf(AssertionError.class).hasMessageContaining(TOPIC.name())
                .hasMessageContaining("positions");
    }

    @Test
    void awaitReadsFromTheBeginningUntilTheConditionHoldsAndFailsWhenItNeverDoes() {
        TopicReader reader = TopicReader.at(kafka.bootstrapServers());
        Topic<String, String> awaited = new Topic<>("reader-await.v1", Serdes.String(), Serdes.String(), false);
        try (Admin admin = kafka.admin()) {
            TopicProvisioner.createTopics(admin, 2, List.<Topic<String, ?>>of(awaited));
        }
        try (KafkaProducer<String, String> p = transactional("reader-it-2")) {
            p.beginTransaction();
            p.send(new ProducerRecord<>(awaited.name(), 0, "bed-1", "a"));
            p.send(new ProducerRecord<>(awaited.name(), 1, "bed-2", "b"));
            p.commitTransaction();
        }
        assertThat(reader.awaitValues(awaited, v -> v.containsAll(List.of("a", "b")), DEADLINE))
                .containsExactlyInAnyOrder("a", "b");
        assertThatThrownBy(() -> reader.awaitValues(awaited, v -> v.contains("c"), Duration.ofSeconds(2)))
                .isInstanceOf(AssertionError.class).hasMessageContaining(awaited.name()).hasMessageContaining("2 records");
    }

    @Test
    void valuesNowStopAtAnOpenTransaction() {
        TopicReader reader = TopicReader.at(kafka.bootstrapServers());
        Topic<String, String> now = new Topic<>("reader-now.v1", Serdes.String(), Serdes.String(), false);
        try (Admin admin = kafka.admin()) {
            TopicProvisioner.createTopics(admin, 1, List.<Topic<String, ?>>of(now));
        }
        try (KafkaProducer<String, String> p = transactional("reader-it-3")) {
            p.beginTransaction();
            p.send(new ProducerRecord<>(now.name(), 0, "bed-1", "committed"));
            p.commitTransaction();
            kafka.settledEndOffsets(now.name(), DEADLINE); // the first commit marker has landed
            p.beginTransaction();
            p.send(new ProducerRecord<>(now.name(), 0, "bed-1", "open"));
            p.flush(); // written, its transaction still open: the last stable offset stays before it
            assertThat(reader.valuesNow(now)).containsExactly("committed");
            p.commitTransaction();
        }
        assertThat(reader.values(now, kafka.settledEndOffsets(now.name(), DEADLINE))).containsExactly("committed", "open");
    }

    @Test
    void endsOfAnotherTopicAreRefused() {
        assertThatThrownBy(() -> TopicReader.at(kafka.bootstrapServers()).records(TOPIC,
                Map.of(new TopicPartition("other.v1", 0), 1L)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("other.v1-0");
    }

    @Test
    void everySendIsAcknowledgedInOrderAndAFailedSendFailsTheTest() {
        TopicPartition p0 = new TopicPartition(PRODUCED.name(), 0);
        try (TestProducer producer = TestProducer.to(kafka.bootstrapServers())) {
            RecordMetadata first = producer.send(new ProducerRecord<>(PRODUCED.name(), 0, "k", bytes("a")));
            List<RecordMetadata> rest = producer.sendAll(List.of(new ProducerRecord<>(PRODUCED.name(), 0, "k", bytes("b")),
                    new ProducerRecord<>(PRODUCED.name(), 0, "k", bytes("c"))));
            assertThat(first.offset()).isZero();
            assertThat(rest).extracting(RecordMetadata::offset).containsExactly(1L, 2L);

            // larger than the producer's max.request.size (1 MiB): its future fails, and so does the test
            ProducerRecord<String, byte[]> tooLarge = new ProducerRecord<>(PRODUCED.name(), 0, "k", new byte[2 * 1024 * 1024]);
            assertThatThrownBy(() -> producer.send(tooLarge)).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("send to " + PRODUCED.name() + " failed");
            assertThatThrownBy(() -> producer.sendAll(List.of(tooLarge))).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("send to " + PRODUCED.name() + " failed");
        }
        assertThat(TopicReader.at(kafka.bootstrapServers()).values(PRODUCED, Map.of(p0, 3L))).containsExactly("a", "b", "c");
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
        return PRODUCED.valueSerde().serializer().serialize(PRODUCED.name(), s);
    }
}
