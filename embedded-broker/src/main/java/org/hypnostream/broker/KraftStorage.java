package org.hypnostream.broker;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * The node's storage: formats a KRaft log directory once (production features, the latest production metadata
 * version) and leaves one formatted before alone, so topics and records survive a restart of the node or the process.
 */
final class KraftStorage {
    private KraftStorage() {
    }

    static void formatOnce(BrokerNode node) {
        try {
            Files.createDirectories(node.logDir());
            if (Files.exists(node.logDir().resolve("meta.properties"))) {
                return;
            }
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .setNodeId(node.nodeId())
                    .setClusterId(node.clusterId() != null ? node.clusterId() : Uuid.randomUuid().toString())
                    .setControllerListenerName("CONTROLLER")
                    .setMetadataLogDirectory(node.logDir().toString())
                    .addDirectory(node.logDir().toString())
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format KRaft storage in " + node.logDir() + ": " + e.getMessage(), e);
        }
    }
}
