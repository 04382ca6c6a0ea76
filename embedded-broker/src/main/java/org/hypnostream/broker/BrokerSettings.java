package org.hypnostream.broker;

import java.util.HashMap;
import java.util.Map;

/**
 * Broker configuration: the properties of one KRaft node as a pure function of who it is, its optional secure
 * listener and the caller's overrides (applied last). The defaults fit one node: replication factor 1 and
 * {@code min.insync.replicas} 1 everywhere, the transaction state log included, so exactly_once_v2 works on one node;
 * no automatic topic creation; 16 MiB messages.
 */
final class BrokerSettings {
    private BrokerSettings() {
    }

    /** @param secure the TLS and/or SASL listener, or null for plaintext only */
    static Map<String, Object> of(BrokerNode node, SecureListener secure, Map<String, String> overrides) {
        Map<String, Object> p = new HashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(node.nodeId()));
        p.put("controller.quorum.voters", node.quorumVoters());
        String advertised = "PLAINTEXT://" + node.bootstrapServers();
        String protocols = "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT";
        if (secure != null) {
            advertised += "," + secure.protocol() + "://" + secure.address();
            protocols += "," + secure.protocol() + ":" + secure.protocol();
            p.putAll(secure.settings());
        }
        p.put("listeners", advertised + ",CONTROLLER://127.0.0.1:" + node.controllerPort());
        p.put("advertised.listeners", advertised);
        p.put("listener.security.protocol.map", protocols);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", node.logDir().toString());
        p.put("num.partitions", "1");
        p.put("default.replication.factor", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("min.insync.replicas", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");
        p.put("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
        p.put("message.max.bytes", Integer.toString(16 * 1024 * 1024));
        p.put("replica.fetch.max.bytes", Integer.toString(16 * 1024 * 1024));
        p.put("log.segment.bytes", Integer.toString(64 * 1024 * 1024));
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(4 * 1024 * 1024));
        p.put("transaction.remove.expired.transaction.cleanup.interval.ms", "60000");
        p.putAll(overrides);
        return p;
    }
}
