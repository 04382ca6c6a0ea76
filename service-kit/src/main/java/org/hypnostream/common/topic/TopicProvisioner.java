package org.hypnostream.common.topic;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the catalogue's topics on a cluster through an {@link Admin}: {@code hypnostream create-topics} for a real
 * cluster, and the embedded broker of the demo and tests, the same way.
 */
public final class TopicProvisioner {
    /** Largest record a topic takes (a leg window or an EMG segment is far below). */
    static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
    /** Compacted topics roll a segment this often, so that their readers' start-up read stays bounded. */
    static final long COMPACTED_SEGMENT_MS = 10 * 60_000L;

    private TopicProvisioner() {
    }

    /** Creates the topics with {@code partitions} partitions and replication factor 1; existing topics are left alone. */
    public static void createTopics(Admin admin, int partitions, List<Topic<String, ?>> topics) {
        createTopics(admin, partitions, (short) 1, Map.of(), topics);
    }

    /**
     * Creates the topics that do not exist yet with {@code partitions} partitions, {@code replicationFactor} replicas
     * of each and {@code topicConfigs} (e.g. {@code min.insync.replicas}) on top of the catalogue's own configs, then
     * waits until every partition has a leader. Existing topics are left alone (their replication factor and configs
     * included). A refusal (e.g. a replication factor above the number of brokers) is an
     * {@link IllegalStateException} naming the broker's exception and message.
     */
    public static void createTopics(Admin admin, int partitions, short replicationFactor, Map<String, String> topicConfigs,
            List<Topic<String, ?>> topics) {
        List<NewTopic> wanted = new ArrayList<>();
        for (Topic<String, ?> t : topics) {
            wanted.add(new NewTopic(t.name(), partitions, replicationFactor).configs(configs(t, topicConfigs)));
        }
        try {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            wanted.removeIf(nt -> existing.contains(nt.name()));
            if (!wanted.isEmpty()) {
                // each topic on its own: one that another creator made meanwhile is fine, any other refusal is not
                for (var created : admin.createTopics(wanted).values().values()) {
                    try {
                        created.get(60, TimeUnit.SECONDS);
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof TopicExistsException)) {
                            throw e;
                        }
                    }
                }
            }
            awaitLeaders(admin, topics.stream().map(Topic::name).toList(), Duration.ofSeconds(60));
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create topics: " + e.getCause().getClass().getSimpleName()
                    + ": " + e.getCause().getMessage(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("timed out creating topics", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted creating topics", e);
        }
    }

    /** The configs a new topic gets: {@code extra}, then the catalogue's own (record size, compaction). */
    static Map<String, String> configs(Topic<String, ?> t, Map<String, String> extra) {
        Map<String, String> cfg = new HashMap<>(extra);
        cfg.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(MAX_MESSAGE_BYTES));
        if (t.compacted()) {
            // compact often: readers of these topics (bed registry, inference state) read them from the start
            cfg.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
            cfg.put(TopicConfig.SEGMENT_MS_CONFIG, Long.toString(COMPACTED_SEGMENT_MS));
            cfg.put(TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, "0.1");
        }
        return cfg;
    }

    /**
     * Waits until every partition of the topics has a leader with itself in sync: a producer that races a new
     * partition's leadership gets NOT_LEADER_OR_FOLLOWER and, with idempotence, out-of-sequence retries.
     */
    static void awaitLeaders(Admin admin, List<String> names, Duration timeout) throws InterruptedException,
            ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean ready = true;
            try {
                for (var d : admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS).values()) {
                    for (var p : d.partitions()) {
                        ready &= p.leader() != null && !p.leader().isEmpty() && !p.isr().isEmpty();
                    }
                }
            } catch (ExecutionException e) {
                // a topic created a moment ago may not be in the broker's metadata yet: ask again
                if (!(e.getCause() instanceof RetriableException)) {
                    throw e;
                }
                ready = false;
            }
            if (ready) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("partitions of " + names + " have no leader after " + timeout);
            }
            Thread.sleep(50);
        }
    }
}
