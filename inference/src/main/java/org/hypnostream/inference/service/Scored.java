package org.hypnostream.inference.service;

import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/** What one input record became: the records to produce (events, alerts or a dead letter) in the same transaction. */
public record Scored(TopicPartition source, long offset, List<ProducerRecord<String, byte[]>> records) {
    public Scored {
        records = List.copyOf(records);
    }
}
