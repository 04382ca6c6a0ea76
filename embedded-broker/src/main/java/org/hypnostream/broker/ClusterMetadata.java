package org.hypnostream.broker;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;

/**
 * What a cluster's metadata says about its partitions, internal topics included: who leads them, and whether every
 * replica is in sync again (what a rolling restart waits for).
 */
final class ClusterMetadata {
    private ClusterMetadata() {
    }

    /** Partitions led by each node id. */
    static Map<Integer, Integer> leaderCounts(String bootstrapServers) {
        Map<Integer, Integer> counts = new TreeMap<>();
        for (TopicDescription d : describeAll(bootstrapServers).values()) {
            d.partitions().forEach(p -> {
                if (p.leader() != null && !p.leader().isEmpty()) {
                    counts.merge(p.leader().id(), 1, Integer::sum);
                }
            });
        }
        return counts;
    }

    /** Polls until every partition's ISR holds all its replicas; false at the deadline. */
    static boolean awaitFullyReplicated(String bootstrapServers, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                boolean full = describeAll(bootstrapServers).values().stream().flatMap(d -> d.partitions().stream())
                        .allMatch(p -> p.isr().size() == p.replicas().size());
                if (full) {
                    return true;
                }
            } catch (IllegalStateException e) {
                // metadata moving under a restart: look again
            }
            Thread.sleep(200); // paces the polling of the cluster
        }
        return false;
    }

    private static Map<String, TopicDescription> describeAll(String bootstrapServers) {
        try (Admin admin = BrokerAdmin.admin(bootstrapServers)) {
            Set<String> names = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get(15, TimeUnit.SECONDS);
            return admin.describeTopics(names).allTopicNames().get(15, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot describe the topics: " + e.getCause(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("timed out describing the topics", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted describing the topics", e);
        }
    }
}
