package org.hypnostream.app;

import java.util.Map;
import java.util.OptionalInt;
import org.apache.kafka.common.config.TopicConfig;
import org.hypnostream.common.config.ConfigReader;

/**
 * How {@code create-topics} lays out each topic of the catalogue.
 *
 * @param partitions         partitions per topic (key = bed id)
 * @param replicationFactor  replicas of each partition (1 = none; 3 on a production cluster)
 * @param minInsyncReplicas  the topic's {@code min.insync.replicas} (acks=all producers need this many replicas in
 *                           sync); empty = not set on the topic, the broker's default applies
 */
record TopicSettings(int partitions, short replicationFactor, OptionalInt minInsyncReplicas) {
    static final String PARTITIONS = "topics.partitions";
    static final String REPLICATION_FACTOR = "topics.replication.factor";
    static final String MIN_INSYNC_REPLICAS = "topics.min.insync.replicas";

    TopicSettings {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions " + partitions + " must be at least 1");
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replication factor " + replicationFactor + " must be at least 1");
        }
        if (minInsyncReplicas.isPresent()
                && (minInsyncReplicas.getAsInt() < 1 || minInsyncReplicas.getAsInt() > replicationFactor)) {
            throw new IllegalArgumentException("min.insync.replicas " + minInsyncReplicas.getAsInt() + " must be 1-"
                    + replicationFactor + " (the replication factor): a producer with acks=all could never write");
        }
    }

    /** Reads the {@code topics.*} keys; problems are recorded on {@code r} (call {@code r.validate()} after). */
    static TopicSettings fromEnvironment(ConfigReader r) {
        int partitions = r.intInRange(PARTITIONS, 4, 1, 10_000, "partitions per topic (key = bed id)");
        int problemsBefore = r.problems().size();
        int rf = r.intInRange(REPLICATION_FACTOR, 1, 1, Short.MAX_VALUE,
                "replicas of each partition (3 on a production cluster; at most the number of brokers)");
        boolean rfValid = r.problems().size() == problemsBefore;
        int minIsr = r.intInRange(MIN_INSYNC_REPLICAS, 0, 0, Short.MAX_VALUE,
                "min.insync.replicas of each topic, at most the replication factor (2 with RF 3); 0 or unset = not"
                        + " set on the topic, the broker's default applies");
        if (minIsr > rf) {
            if (rfValid) { // an invalid replication factor is reported already, and compared as its default here
                r.problem(MIN_INSYNC_REPLICAS + "=" + minIsr + " exceeds " + REPLICATION_FACTOR + "=" + rf
                        + ": a producer with acks=all could never write (e.g. RF 3 with min.insync.replicas 2)");
            }
            minIsr = 0;
        }
        return new TopicSettings(partitions, (short) rf, minIsr == 0 ? OptionalInt.empty() : OptionalInt.of(minIsr));
    }

    /**
     * How an existing topic differs from these settings, e.g. {@code "2 partitions (asked 4)"}; empty when it matches.
     * {@code min.insync.replicas} is compared only when these settings give one.
     */
    java.util.List<String> differences(int topicPartitions, int topicReplicationFactor, int topicMinInsyncReplicas) {
        java.util.List<String> d = new java.util.ArrayList<>();
        if (topicPartitions != partitions) {
            d.add(topicPartitions + " partitions (asked " + partitions + ")");
        }
        if (topicReplicationFactor != replicationFactor) {
            d.add("replication factor " + topicReplicationFactor + " (asked " + replicationFactor + ")");
        }
        if (minInsyncReplicas.isPresent() && topicMinInsyncReplicas != minInsyncReplicas.getAsInt()) {
            d.add("min.insync.replicas " + topicMinInsyncReplicas + " (asked " + minInsyncReplicas.getAsInt() + ")");
        }
        return d;
    }

    /** Topic configs to set on top of the catalogue's own: {@code min.insync.replicas} when given. */
    Map<String, String> topicConfigs() {
        return minInsyncReplicas.isPresent()
                ? Map.of(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(minInsyncReplicas.getAsInt()))
                : Map.of();
    }
}
