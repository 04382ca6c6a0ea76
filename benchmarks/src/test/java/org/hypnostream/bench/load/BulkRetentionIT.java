package org.hypnostream.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.hypnostream.broker.EmbeddedKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bench's retention on a real broker: the settings land on the topic, and records older than the retention go
 * (their segment is closed by segment.ms and deleted by the broker's retention check) while newer ones stay. The
 * broker checks retention every 500 ms here, from its start, instead of every 5 minutes after 30 s.
 */
class BulkRetentionIT {
    @TempDir
    Path dir;

    @Test
    void recordsOlderThanTheRetentionAreDeletedNewerOnesKept() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0, 0,
                Map.of("log.retention.check.interval.ms", "500", "log.initial.task.delay.ms", "0"));
                Admin admin = kafka.admin()) {
            admin.createTopics(List.of(new NewTopic("bulk", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            BulkRetention.apply(admin, Duration.ofMinutes(2), List.of("bulk"));
            ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, "bulk");
            Config c = admin.describeConfigs(List.of(res)).all().get(30, TimeUnit.SECONDS).get(res);
            assertThat(c.get(TopicConfig.RETENTION_MS_CONFIG).value()).isEqualTo("120000");
            assertThat(c.get(TopicConfig.SEGMENT_MS_CONFIG).value()).isEqualTo("60000");

            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            long now = System.currentTimeMillis();
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 10; i++) {
                    producer.send(new ProducerRecord<>("bulk", 0, now - Duration.ofHours(2).toMillis(), "bed-1", "old-" + i)).get();
                }
                // the segment's first record is 2 h old, past segment.ms: this record opens a new segment
                producer.send(new ProducerRecord<>("bulk", 0, now, "bed-1", "new")).get();
            }
            TopicPartition tp = new TopicPartition("bulk", 0);
            long start = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            // the old records may go in more than one retention check: one that runs while they are being written
            // rolls and deletes the expired active segment with the first few (seen in CI: start offset 3)
            while (start < 10 && System.nanoTime() < deadline) {
                start = admin.listOffsets(Map.of(tp, OffsetSpec.earliest())).all().get(30, TimeUnit.SECONDS).get(tp).offset();
                if (start < 10) {
                    TimeUnit.MILLISECONDS.sleep(200); // the broker's next retention check
                }
            }
            long end = admin.listOffsets(Map.of(tp, OffsetSpec.latest())).all().get(30, TimeUnit.SECONDS).get(tp).offset();
            assertThat(start).as("log start offset: the 10 old records deleted").isEqualTo(10);
            assertThat(end).isEqualTo(11);
        }
    }

    @Test
    void aRetentionThatIsNotPositiveIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> BulkRetention.apply(null, Duration.ZERO, List.of("x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
    }
}
