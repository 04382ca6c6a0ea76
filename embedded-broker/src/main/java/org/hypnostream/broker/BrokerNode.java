package org.hypnostream.broker;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Who one KRaft node (broker + controller in one process) is: its data directory, node id, cluster id (null: a fresh
 * one when the storage is formatted), the static quorum ({@code controller.quorum.voters}, this node among them) and
 * its plaintext client and controller ports on 127.0.0.1.
 */
record BrokerNode(Path dataDir, int nodeId, String clusterId, String quorumVoters, int brokerPort, int controllerPort) {
    BrokerNode {
        Objects.requireNonNull(dataDir, "dataDir");
        dataDir = dataDir.toAbsolutePath();
        if (quorumVoters == null) {
            quorumVoters = nodeId + "@127.0.0.1:" + controllerPort;
        } else if (!quorumVoters.contains(nodeId + "@127.0.0.1:" + controllerPort)) {
            throw new IllegalArgumentException("node " + nodeId + " on controller port " + controllerPort
                    + " is not among the voters " + quorumVoters);
        }
    }

    /** A single-node quorum of node 1 with a fresh cluster id. */
    static BrokerNode single(Path dataDir, int brokerPort, int controllerPort) {
        return new BrokerNode(dataDir, 1, null, null, brokerPort, controllerPort);
    }

    /** The KRaft metadata and log directory inside the data directory. */
    Path logDir() {
        return dataDir.resolve("kraft-logs");
    }

    /** The plaintext listener's address. */
    String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }
}
