package org.hypnostream.app;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/** How far a consumer group is behind the (committed) end of its input topics; used to wait until work is done. */
public final class ConsumerLag {
    private ConsumerLag() {
    }

    public static long lag(Admin admin, String group, List<String> topics) {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(15, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (var d : admin.describeTopics(topics).allTopicNames().get(15, TimeUnit.SECONDS).values()) {
                d.partitions().forEach(p -> latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest()));
            }
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest,
                    new org.apache.kafka.clients.admin.ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get(15, TimeUnit.SECONDS);
            long lag = 0;
            for (var e : ends.entrySet()) {
                OffsetAndMetadata c = committed.get(e.getKey());
                long end = e.getValue().offset();
                lag += Math.max(0, end - (c == null ? 0 : c.offset()));
            }
            return lag;
        } catch (ExecutionException | TimeoutException e) {
            return Long.MAX_VALUE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Long.MAX_VALUE;
        }
    }

    /**
     * Waits until every group has consumed its topics to the end. A transaction's commit marker sits after the last
     * record, so a caught-up exactly-once group may show a lag of one per partition; caught up therefore means a lag
     * of at most one per partition, unchanged over two looks.
     */
    public static boolean awaitCaughtUp(Admin admin, Map<String, List<String>> groups, int partitions, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Long> previous = Map.of();
        while (System.nanoTime() < deadline) {
            Map<String, Long> now = new HashMap<>();
            boolean small = true;
            for (var g : groups.entrySet()) {
                long l = lag(admin, g.getKey(), g.getValue());
                now.put(g.getKey(), l);
                small &= l <= (long) partitions * g.getValue().size();
            }
            if (small && now.equals(previous)) {
                return true;
            }
            previous = now;
            Thread.sleep(1_000);
        }
        return false;
    }
}
