package org.hypnostream.ingest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.hypnostream.broker.EmbeddedKafka;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.common.wire.SampleBlock;
import org.hypnostream.testkit.TopicReader;

/** Test helper: everything in samples.v1, as seqs per source id in partition (= arrival) order. */
final class SampleLog {
    final Map<String, List<Long>> seqs = new TreeMap<>();
    final Map<String, String> keyOfSource = new HashMap<>();
    int records;

    /** Reads the topic from the beginning up to its end offsets (its settled end). */
    static SampleLog readAll(String bootstrap) {
        Map<TopicPartition, Long> end;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            end = EmbeddedKafka.settledEndOffsets(admin, Topics.SAMPLES.name(), Duration.ofSeconds(60));
        }
        SampleLog log = new SampleLog();
        for (ConsumerRecord<String, SampleBlock> r : TopicReader.at(bootstrap).records(Topics.SAMPLES, end)) {
            SampleBlock b = r.value();
            log.seqs.computeIfAbsent(b.sourceId(), s -> new ArrayList<>()).add(b.seq());
            log.keyOfSource.put(b.sourceId(), r.key());
            if (!r.key().equals(b.bedId())) {
                throw new AssertionError("record key " + r.key() + " is not the bed id " + b.bedId());
            }
            log.records++;
        }
        return log;
    }

    /** Records minus distinct (source, seq) pairs. */
    int duplicates() {
        int distinct = 0;
        for (List<Long> l : seqs.values()) {
            distinct += new TreeSet<>(l).size();
        }
        return records - distinct;
    }

    /** True when the distinct seqs of every source are exactly 0..max. */
    boolean gapFree() {
        for (List<Long> l : seqs.values()) {
            TreeSet<Long> s = new TreeSet<>(l);
            if (s.first() != 0 || s.last() != s.size() - 1) {
                return false;
            }
        }
        return true;
    }
}
