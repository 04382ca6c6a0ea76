package org.hypnostream.app;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.hypnostream.common.config.KafkaClients;
import org.hypnostream.common.study.BedsideEvent;
import org.hypnostream.common.study.StudyEvent;
import org.hypnostream.common.study.StudyLifecycle;
import org.hypnostream.common.study.StudyRefusal;
import org.hypnostream.common.topic.Topic;
import org.hypnostream.common.topic.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The study topics from outside the dashboard ({@code hypnostream study ...} and the demo): a bed's lifecycle rebuilt
 * from {@code study-events.v1} (read_committed, to its current end), and marks / bedside events written with an
 * idempotent producer (acks=all), each waited for. Keys are bed ids, never the patient reference.
 */
final class StudyJournal implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StudyJournal.class);
    private final String bootstrap;
    private final Map<String, String> kafkaSettings;
    private final KafkaProducer<byte[], byte[]> producer;

    StudyJournal(String bootstrap, Map<String, String> kafkaSettings) {
        this.bootstrap = bootstrap;
        this.kafkaSettings = Map.copyOf(kafkaSettings);
        Map<String, Object> p = KafkaClients.ordered(KafkaClients.client(bootstrap, kafkaSettings));
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "hypnostream-study");
        producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** The lifecycle of each bed (by bed id) as the marks on the topic make it; a mark out of order is logged, skipped. */
    Map<String, StudyLifecycle> lifecycles(Duration timeout) {
        Map<String, StudyLifecycle> out = new HashMap<>();
        for (StudyEvent e : readAll(Topics.STUDY_EVENTS, timeout)) {
            try {
                out.computeIfAbsent(e.bedId(), StudyLifecycle::new).apply(e);
            } catch (StudyRefusal r) {
                LOG.warn("study mark {} skipped: {}", e.eventId(), r.getMessage());
            }
        }
        return out;
    }

    StudyLifecycle lifecycle(String bed, Duration timeout) {
        return lifecycles(timeout).getOrDefault(bed, new StudyLifecycle(bed));
    }

    void write(StudyEvent e, Duration timeout) {
        send(Topics.STUDY_EVENTS, e.bedId(), e, timeout);
        LOG.info("recorded {}", e);
    }

    void write(BedsideEvent b, Duration timeout) {
        send(Topics.BEDSIDE_EVENTS, b.bedId(), b, timeout);
        LOG.info("recorded bedside {} on bed {} by {}", b.type(), b.bedId(), b.user());
    }

    private <T> void send(Topic<String, T> topic, String bed, T value, Duration timeout) {
        byte[] v = topic.valueSerde().serializer().serialize(topic.name(), value);
        try {
            producer.send(new ProducerRecord<>(topic.name(), bed.getBytes(java.nio.charset.StandardCharsets.UTF_8), v))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing to " + topic.name(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not write to " + topic.name() + ": " + e, e);
        }
    }

    private <T> List<T> readAll(Topic<String, T> topic, Duration timeout) {
        Map<String, Object> p = KafkaClients.committedReader(KafkaClients.client(bootstrap, kafkaSettings),
                "hypnostream-study-reader");
        List<T> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic.name(), timeout).stream()
                    .map(pi -> new TopicPartition(pi.topic(), pi.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts, timeout);
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(topic.name() + " not read to its end within " + timeout);
                }
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    try {
                        out.add(topic.valueSerde().deserializer().deserialize(r.topic(), r.value()));
                    } catch (RuntimeException bad) {
                        LOG.warn("{}-{}@{}: bad record skipped: {}", r.topic(), r.partition(), r.offset(), bad.getMessage());
                    }
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
