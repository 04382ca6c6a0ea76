package org.hypnostream.inference.service;

import java.util.List;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.hypnostream.common.event.DeadLetter;
import org.hypnostream.common.topic.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.apache.kafka.common.TopicPartition;

/** What one input record became: the records to produce (events, alerts or a dead letter) in the same transaction. */
public record Scored(TopicPartition source, long offset, List<ProducerRecord<String, byte[]>> records) {
    private static final Logger LOG = LoggerFactory.getLogger(Scored.class);

    public Scored {
        records = List.copyOf(records);
    }

    /** The input record as a dead letter with its reason (logged once with topic, partition, offset and key). */
    static Scored deadLetter(ConsumerRecord<String, byte[]> r, String reason, Instant now) {
        LOG.warn("dead-lettering {}-{}@{} (key {}): {}", r.topic(), r.partition(), r.offset(), r.key(), reason);
        DeadLetter d = DeadLetter.of(StageLane.COMPONENT, r.topic(), r.partition(), r.offset(), r.key(), reason, r.value(), now);
        return new Scored(new TopicPartition(r.topic(), r.partition()), r.offset(), List.of(new ProducerRecord<>(
                Topics.DEAD_LETTER.name(), r.key(), Topics.DEAD_LETTER.valueSerde().serializer().serialize(Topics.DEAD_LETTER.name(), d))));
    }
}
