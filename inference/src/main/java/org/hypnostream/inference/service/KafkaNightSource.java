package org.hypnostream.inference.service;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteBufferDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.hypnostream.common.config.KafkaClients;
import org.hypnostream.common.time.Micros;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.common.wire.Epoch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a bed's night from {@code eeg-epochs.v1} (read_committed, no group, no offsets committed): the bed's partition
 * (the default partitioner's murmur2 of the key, as every producer of the topic uses) from its beginning to its
 * current end, keeping the bed's epochs in the night. Restart-safe (the topic is the source of truth); costs one read
 * of the partition per lights-on, bounded by the topic's retention. Undecodable records are skipped (the stage lane
 * dead-letters them).
 */
public final class KafkaNightSource implements NightSource {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaNightSource.class);
    private final Map<String, Object> client;
    private final Duration deadline;

    public KafkaNightSource(InferenceConfig cfg, Duration deadline) {
        this.client = KafkaClients.committedReader(cfg.kafkaClient(), cfg.transactionalId() + "-night-reader");
        this.client.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.deadline = deadline;
    }

    @Override
    public List<Epoch> epochs(RescoreTrigger.Night night) {
        String topic = Topics.EEG_EPOCHS.name();
        long from = night.from() == null ? Long.MIN_VALUE : Micros.of(night.from());
        long until = Micros.of(night.until());
        byte[] bed = night.bedId().getBytes(StandardCharsets.UTF_8);
        ByteBuffer bedKey = ByteBuffer.wrap(bed);
        List<Epoch> out = new ArrayList<>();
        // ByteBuffer values and keys: views of the fetched batches, so the other beds' epochs sharing the partition
        // (most of what is read) are never copied; only this bed's values are copied out and decoded
        try (KafkaConsumer<ByteBuffer, ByteBuffer> c = new KafkaConsumer<>(client, new ByteBufferDeserializer(),
                new ByteBufferDeserializer())) {
            int partitions = c.partitionsFor(topic, deadline).size();
            TopicPartition tp = new TopicPartition(topic, Utils.toPositive(Utils.murmur2(bed)) % partitions);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long end = c.endOffsets(List.of(tp), deadline).get(tp);
            Instant stop = Instant.now().plus(deadline);
            while (c.position(tp, deadline) < end) {
                if (Instant.now().isAfter(stop)) {
                    throw new IllegalStateException("bed " + night.bedId() + ": night not read within " + deadline);
                }
                for (ConsumerRecord<ByteBuffer, ByteBuffer> r : c.poll(Duration.ofMillis(200))) {
                    if (!bedKey.equals(r.key())) {
                        continue;
                    }
                    try {
                        Epoch e = Topics.EEG_EPOCHS.valueSerde().deserializer().deserialize(topic,
                                r.value() == null ? null : Utils.toArray(r.value()));
                        long start = e.sessionStartMicros() + e.index() * Epoch.EPOCH_MICROS;
                        if (e.bedId().equals(night.bedId()) && start >= from && start < until) {
                            out.add(e);
                        }
                    } catch (RuntimeException ex) {
                        LOG.debug("bed {}: skipping undecodable epoch at {}: {}", night.bedId(), r.offset(),
                                ex.toString());
                    }
                }
            }
        }
        return out;
    }
}
