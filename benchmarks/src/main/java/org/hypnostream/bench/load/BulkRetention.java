package org.hypnostream.bench.load;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Time-based retention on the bulky topics of a long bench run (samples, epochs, leg windows), so that a night
 * replayed at 20x fits the disk: Kafka deletes a log segment once its newest record is older than the retention, and
 * a segment closes after a quarter of it (at least a minute), so a topic holds about 1.25 x the retention plus the
 * broker's retention check interval (5 minutes by default) of data.
 */
public final class BulkRetention {
    private BulkRetention() {
    }

    /**
     * Sets {@code retention.ms} and {@code segment.ms} on each topic (which must exist), then waits until the broker
     * reports them: the controller commits the change before the broker applies it, so a describe right after the
     * alter can still show the old values.
     */
    public static void apply(Admin admin, Duration retention, Collection<String> topics)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention must be positive, got " + retention);
        }
        long ms = retention.toMillis();
        long segmentMs = Math.max(60_000, ms / 4);
        Map<ConfigResource, Collection<AlterConfigOp>> ops = new LinkedHashMap<>();
        for (String t : topics) {
            ops.put(new ConfigResource(ConfigResource.Type.TOPIC, t), List.of(
                    new AlterConfigOp(new ConfigEntry(TopicConfig.RETENTION_MS_CONFIG, Long.toString(ms)), AlterConfigOp.OpType.SET),
                    new AlterConfigOp(new ConfigEntry(TopicConfig.SEGMENT_MS_CONFIG, Long.toString(segmentMs)), AlterConfigOp.OpType.SET)));
        }
        admin.incrementalAlterConfigs(ops).all().get(30, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!applied(admin, ops.keySet(), Long.toString(ms), Long.toString(segmentMs))) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("the broker did not report retention.ms=" + ms + " and segment.ms=" + segmentMs
                        + " on " + topics + " within 30 s of setting them");
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    private static boolean applied(Admin admin, Collection<ConfigResource> topics, String retentionMs, String segmentMs)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<ConfigResource, Config> now = admin.describeConfigs(topics).all().get(30, TimeUnit.SECONDS);
        return topics.stream().allMatch(t -> {
            Config c = now.get(t);
            return c != null && retentionMs.equals(c.get(TopicConfig.RETENTION_MS_CONFIG).value())
                    && segmentMs.equals(c.get(TopicConfig.SEGMENT_MS_CONFIG).value());
        });
    }
}
