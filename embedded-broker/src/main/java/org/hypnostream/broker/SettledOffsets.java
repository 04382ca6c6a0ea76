package org.hypnostream.broker;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * Offsets helper: the end offsets of a topic once every transaction written to it is decided. A transactional
 * producer's commit returns when the coordinator has logged it; the commit markers reach the partitions afterwards, so
 * for a moment a read_committed reader's end (the last stable offset) stops short of the last transaction.
 */
final class SettledOffsets {
    private SettledOffsets() {
    }

    /**
     * Polls the broker until the last stable offset equals the high watermark on every partition of {@code topic} and
     * returns that; fails after {@code deadline} (a transaction still open).
     */
    static Map<TopicPartition, Long> of(Admin admin, String topic, Duration deadline) {
        try {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions()
                    .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            long until = System.nanoTime() + deadline.toNanos();
            while (true) {
                Map<TopicPartition, Long> stable = ends(admin, latest, IsolationLevel.READ_COMMITTED);
                Map<TopicPartition, Long> high = ends(admin, latest, IsolationLevel.READ_UNCOMMITTED);
                if (stable.equals(high)) {
                    return high;
                }
                if (System.nanoTime() > until) {
                    throw new IllegalStateException("transactions on " + topic + " still open after " + deadline
                            + ": last stable offsets " + stable + ", high watermarks " + high);
                }
                Thread.sleep(5); // paces the polling of the broker; markers land within milliseconds
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the end offsets of " + topic, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted reading the end offsets of " + topic, e);
        }
    }

    private static Map<TopicPartition, Long> ends(Admin admin, Map<TopicPartition, OffsetSpec> latest,
            IsolationLevel isolation) throws ExecutionException, TimeoutException, InterruptedException {
        Map<TopicPartition, Long> out = new HashMap<>();
        Map<TopicPartition, ListOffsetsResultInfo> got = admin.listOffsets(latest, new ListOffsetsOptions(isolation))
                .all().get(30, TimeUnit.SECONDS);
        got.forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }
}
