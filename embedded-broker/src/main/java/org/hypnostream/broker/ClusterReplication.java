package org.hypnostream.broker;

import java.util.Map;
import java.util.TreeMap;

/**
 * Replication sized for production on a cluster of {@code size} nodes: replication factor {@code min(3, size)} and
 * {@code min.insync.replicas} {@code min(2, size)} for every topic (Streams' internal topics, the consumer offsets and
 * the transaction state log included), unclean leader election off.
 */
record ClusterReplication(int replicationFactor, int minInsyncReplicas) {
    static ClusterReplication forSize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("a cluster needs at least one node, not " + size);
        }
        return new ClusterReplication(Math.min(3, size), Math.min(2, size));
    }

    /** The broker settings every node gets on top of {@link BrokerSettings}' single-node ones. */
    Map<String, String> brokerSettings() {
        Map<String, String> m = new TreeMap<>();
        String rf = Integer.toString(replicationFactor);
        String isr = Integer.toString(minInsyncReplicas);
        m.put("default.replication.factor", rf);
        m.put("min.insync.replicas", isr);
        m.put("offsets.topic.replication.factor", rf);
        m.put("transaction.state.log.replication.factor", rf);
        m.put("transaction.state.log.min.isr", isr);
        m.put("share.coordinator.state.topic.replication.factor", rf);
        m.put("share.coordinator.state.topic.min.isr", isr);
        m.put("unclean.leader.election.enable", "false");
        return m;
    }

    /** The topic-level settings a created topic gets. */
    Map<String, String> topicSettings() {
        return Map.of("min.insync.replicas", Integer.toString(minInsyncReplicas));
    }
}
