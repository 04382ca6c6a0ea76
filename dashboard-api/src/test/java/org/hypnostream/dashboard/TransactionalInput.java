package org.hypnostream.dashboard;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.hypnostream.common.config.KafkaClients;
import org.hypnostream.common.event.Alert;
import org.hypnostream.common.event.BedInfo;
import org.hypnostream.common.event.LegMovementEvent;
import org.hypnostream.common.event.PlmEvent;
import org.hypnostream.common.event.StageEvent;
import org.hypnostream.common.study.BedsideEvent;
import org.hypnostream.common.study.StudyEvent;
import org.hypnostream.common.topic.Topic;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.common.wire.Epoch;
import org.hypnostream.dashboard.feed.DashboardEvent;

/**
 * The dashboard Kafka tests' input, written the way the services write it: in transactions (the dashboard reads
 * read_committed), each event to its topic ({@link #topicOf}) under its bed, serialised with the topic's serde.
 * {@code commitTransaction} returns before the commit markers land; readers of the result wait for what they expect.
 */
final class TransactionalInput implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;

    private TransactionalInput(KafkaProducer<byte[], byte[]> producer) {
        this.producer = producer;
    }

    /** A transactional producer under {@code transactionalId}, initialised. */
    static TransactionalInput open(String bootstrapServers, String transactionalId) {
        KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(KafkaClients.transactional(
                KafkaClients.client(bootstrapServers, Map.of()), transactionalId), new ByteArraySerializer(),
                new ByteArraySerializer());
        try {
            p.initTransactions();
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
        return new TransactionalInput(p);
    }

    /** Writes {@code events} in one transaction and commits it. */
    void commit(Object... events) {
        write(events);
        producer.commitTransaction();
    }

    /** Writes {@code events} in one transaction, flushed to the topics, and aborts it: no reader may show them. */
    void abort(Object... events) {
        write(events);
        producer.flush();
        producer.abortTransaction();
    }

    /** Commits one record of raw bytes (a value no serde can read) under {@code bed}. */
    void commitRaw(String topic, String bed, byte[] value) {
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(topic, bed.getBytes(StandardCharsets.UTF_8), value));
        producer.commitTransaction();
    }

    @SuppressWarnings("unchecked")
    private void write(Object... events) {
        producer.beginTransaction();
        for (Object e : events) {
            Topic<String, Object> t = (Topic<String, Object>) topicOf(e);
            String bed = e instanceof Epoch ep ? ep.bedId() : DashboardEvent.of(e).bedId();
            producer.send(new ProducerRecord<>(t.name(), bed.getBytes(StandardCharsets.UTF_8),
                    t.valueSerde().serializer().serialize(t.name(), e)));
        }
    }

    /** The topic an event of the tests is read from. */
    static Topic<String, ?> topicOf(Object e) {
        if (e instanceof BedInfo) {
            return Topics.BEDS;
        } else if (e instanceof StageEvent) {
            return Topics.STAGE_EVENTS;
        } else if (e instanceof LegMovementEvent) {
            return Topics.LEG_EVENTS;
        } else if (e instanceof PlmEvent) {
            return Topics.PLM_EVENTS;
        } else if (e instanceof Alert) {
            return Topics.ALERTS;
        } else if (e instanceof StudyEvent) {
            return Topics.STUDY_EVENTS;
        } else if (e instanceof BedsideEvent) {
            return Topics.BEDSIDE_EVENTS;
        } else if (e instanceof Epoch) {
            return Topics.EEG_EPOCHS;
        }
        throw new IllegalArgumentException("no test topic for " + e.getClass().getName());
    }

    @Override
    public void close() {
        producer.close();
    }
}
