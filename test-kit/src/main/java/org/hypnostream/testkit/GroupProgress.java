package org.hypnostream.testkit;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.hypnostream.common.config.KafkaClients;

/**
 * Waits for a consumer group (a service's, a Kafka Streams application's) to have committed its position up to given
 * end offsets: for an exactly-once reader, that everything before them is processed and its output committed. The
 * ends are given by the caller (typically {@code EmbeddedKafka.settledEndOffsets(topic, deadline)} of the input, taken
 * after the test wrote it) so that the test kit does not depend on the embedded broker. A partition whose end is 0
 * counts as caught up (a group commits nothing for an empty partition). Input written by a {@link TestProducer} is
 * the plain case; for a topic written in transactions the group's offset passes the last commit marker only once it
 * has read on past it. A looser wait (lag of at most one per partition, stable over two looks) is the app's
 * {@code ConsumerLag}, which the demo and the fault tests use.
 */
public final class GroupProgress {
    /** Between two looks at the group's committed offsets. */
    private static final long POLL_MS = 100;

    private final String bootstrapServers;
    private final Map<String, String> settings;
    private final Object pace = new Object();

    private GroupProgress(String bootstrapServers, Map<String, String> settings) {
        this.bootstrapServers = bootstrapServers;
        this.settings = Map.copyOf(settings);
    }

    /** Progress of groups on the cluster at {@code bootstrapServers} (plaintext). */
    public static GroupProgress at(String bootstrapServers) {
        return at(bootstrapServers, Map.of());
    }

    /** With extra client {@code settings} (TLS, SASL, ...). */
    public static GroupProgress at(String bootstrapServers, Map<String, String> settings) {
        return new GroupProgress(bootstrapServers, settings);
    }

    /** {@link #awaitCaughtUp(String, Map, Duration, Runnable)} with nothing to check while waiting. */
    public void awaitCaughtUp(String group, Map<TopicPartition, Long> ends, Duration deadline) {
        awaitCaughtUp(group, ends, deadline, () -> { });
    }

    /**
     * Returns once {@code group}'s committed offset of every partition in {@code ends} is at or past its end.
     * {@code whileWaiting} runs before every look (it may assert, e.g. that the service under test has not failed).
     *
     * @throws AssertionError when the group does not get there within {@code deadline}: names the group, the ends
     *     and what it had committed at the last look
     */
    public void awaitCaughtUp(String group, Map<TopicPartition, Long> ends, Duration deadline, Runnable whileWaiting) {
        long until = System.nanoTime() + deadline.toNanos();
        Map<TopicPartition, OffsetAndMetadata> committed = Map.of();
        try (Admin admin = Admin.create(KafkaClients.admin(bootstrapServers, settings, 10_000, 30_000))) {
            while (true) {
                whileWaiting.run();
                committed = committed(admin, group);
                if (caughtUp(committed, ends)) {
                    return;
                }
                if (System.nanoTime() > until) {
                    throw new AssertionError(group + " did not commit up to " + ends + " within " + deadline
                            + "; committed: " + committed);
                }
                synchronized (pace) {
                    pace.wait(POLL_MS); // between two looks at a real condition
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + group + "; committed: " + committed, e);
        }
    }

    /** Whether every partition of {@code ends} is committed at or past its end (an end of 0 needs no commit). */
    static boolean caughtUp(Map<TopicPartition, OffsetAndMetadata> committed, Map<TopicPartition, Long> ends) {
        return ends.entrySet().stream().allMatch(e -> e.getValue() == 0
                || committed.get(e.getKey()) != null && committed.get(e.getKey()).offset() >= e.getValue());
    }

    private static Map<TopicPartition, OffsetAndMetadata> committed(Admin admin, String group)
            throws InterruptedException {
        try {
            Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                    .forEach((tp, o) -> {
                        if (o != null) {
                            out.put(tp, o);
                        }
                    });
            return out;
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("committed offsets of " + group + " not read: " + e, e);
        }
    }
}
