package org.hypnostream.broker;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One node of a {@link KafkaCluster}, run as its own JVM so that a test can SIGKILL it:
 * {@code KafkaClusterNodeMain <data dir> <node id> <cluster id> <quorum voters> <broker port> <controller port>
 * [key=value broker setting ...]}. Prints {@code node <id> up on <address>} once the node answers, and shuts the
 * node down cleanly on SIGTERM (a controlled shutdown hands its partitions' leadership over first).
 */
public final class KafkaClusterNodeMain {
    private KafkaClusterNodeMain() {
    }

    public static void main(String[] args) {
        if (args.length < 6) {
            System.err.println("usage: KafkaClusterNodeMain <data dir> <node id> <cluster id> <quorum voters>"
                    + " <broker port> <controller port> [key=value ...]");
            System.exit(2);
        }
        Map<String, String> overrides = new LinkedHashMap<>();
        for (int i = 6; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            if (eq <= 0) {
                System.err.println("broker setting '" + args[i] + "' is not key=value");
                System.exit(2);
            }
            overrides.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        int nodeId = Integer.parseInt(args[1]);
        EmbeddedKafka node = EmbeddedKafka.startNode(Path.of(args[0]), nodeId, args[2], args[3],
                Integer.parseInt(args[4]), Integer.parseInt(args[5]), overrides);
        Runtime.getRuntime().addShutdownHook(new Thread(node::close, "node-" + nodeId + "-shutdown"));
        System.out.println("node " + nodeId + " up on " + node.bootstrapServers());
        node.awaitShutdown();
    }
}
