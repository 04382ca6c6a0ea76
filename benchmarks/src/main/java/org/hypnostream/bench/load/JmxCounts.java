package org.hypnostream.bench.load;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.TreeMap;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.hypnostream.common.event.JsonCodec;

/**
 * What the in-process broker (the demo's, in this JVM) and the Kafka Streams clients have done, from this JVM's
 * MBeans; cumulative since each started, so a figure for a span is the difference of two snapshots
 * ({@link #since}).
 *
 * @param requests   broker requests by API ({@code kafka.network RequestMetrics RequestsPerSec}, summed over versions;
 *                   {@code FetchConsumer} and {@code FetchFollower} are the two kinds of {@code Fetch}, which the
 *                   broker also counts as a whole)
 * @param handlerMs  milliseconds the broker's request handler threads spent on each API (its {@code LocalTimeMs}
 *                   histograms, count x mean: the request's work, queueing and the network threads' share not included)
 * @param records    records appended by topic ({@code kafka.server BrokerTopicMetrics MessagesInPerSec}); transaction
 *                   markers are not records here, they are what the {@code WriteTxnMarkers} requests append
 * @param commits    Kafka Streams commits (under exactly-once: transactions) by application id
 *                   ({@code stream-thread-metrics commit-total}, summed over its threads)
 */
record JmxCounts(Map<String, Long> requests, Map<String, Long> handlerMs, Map<String, Long> records, Map<String, Long> commits) {
    private static final String REQUESTS = "kafka.network:type=RequestMetrics,name=RequestsPerSec,*";
    private static final String LOCAL_TIME = "kafka.network:type=RequestMetrics,name=LocalTimeMs,*";
    private static final String RECORDS = "kafka.server:type=BrokerTopicMetrics,name=MessagesInPerSec,topic=*";
    private static final String COMMITS = "kafka.streams:type=stream-thread-metrics,*";
    /** A Streams thread id: {@code <application id>-<process uuid>-StreamThread-<n>}. */
    private static final String THREAD_SUFFIX = "-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-StreamThread-[0-9]+$";

    JmxCounts {
        requests = Map.copyOf(requests);
        handlerMs = Map.copyOf(handlerMs);
        records = Map.copyOf(records);
        commits = Map.copyOf(commits);
    }

    /** The counts now (empty maps for what does not run in this JVM). */
    static JmxCounts now() {
        MBeanServer s = ManagementFactory.getPlatformMBeanServer();
        Map<String, Long> commitsByApp = new TreeMap<>();
        sum(s, COMMITS, "thread-id", "commit-total").forEach((thread, n) ->
                commitsByApp.merge(thread.replaceAll(THREAD_SUFFIX, ""), n, Long::sum));
        return new JmxCounts(sum(s, REQUESTS, "request", "Count"), localTimeMs(s), sum(s, RECORDS, "topic", "Count"), commitsByApp);
    }

    private static Map<String, Long> localTimeMs(MBeanServer s) {
        Map<String, Long> out = new TreeMap<>();
        try {
            for (ObjectName n : s.queryNames(new ObjectName(LOCAL_TIME), null)) {
                String k = key(n, "request");
                try {
                    if (k != null && s.getAttribute(n, "Count") instanceof Number c && s.getAttribute(n, "Mean") instanceof Number m) {
                        out.merge(k, Math.round(c.doubleValue() * m.doubleValue()), Long::sum);
                    }
                } catch (JMException e) {
                    // a histogram that went away between the query and the read counts nothing
                }
            }
        } catch (JMException e) {
            throw new IllegalStateException("cannot query " + LOCAL_TIME + ": " + e, e);
        }
        return out;
    }

    private static Map<String, Long> sum(MBeanServer s, String pattern, String key, String attribute) {
        Map<String, Long> out = new TreeMap<>();
        try {
            for (ObjectName n : s.queryNames(new ObjectName(pattern), null)) {
                String k = key(n, key);
                try {
                    if (k != null && s.getAttribute(n, attribute) instanceof Number c) {
                        out.merge(k, Math.round(c.doubleValue()), Long::sum);
                    }
                } catch (JMException e) {
                    // a meter that went away between the query and the read counts nothing
                }
            }
        } catch (JMException e) {
            throw new IllegalStateException("cannot query " + pattern + ": " + e, e);
        }
        return out;
    }

    private static String key(ObjectName n, String key) {
        String k = n.getKeyProperty(key);
        return k != null && k.startsWith("\"") ? ObjectName.unquote(k) : k;
    }

    /** What was done between {@code before} and this snapshot. */
    JmxCounts since(JmxCounts before) {
        return new JmxCounts(minus(requests, before.requests), minus(handlerMs, before.handlerMs), minus(records, before.records),
                minus(commits, before.commits));
    }

    private static Map<String, Long> minus(Map<String, Long> now, Map<String, Long> before) {
        Map<String, Long> out = new TreeMap<>();
        now.forEach((k, v) -> {
            long d = v - before.getOrDefault(k, 0L);
            if (d > 0) {
                out.put(k, d);
            }
        });
        return out;
    }

    /**
     * Over {@code seconds}, largest first, each with its {@code total}: {@code broker_requests_per_s} (by API; the
     * total counts {@code FetchConsumer} and {@code FetchFollower}, not their sum {@code Fetch} again),
     * {@code broker_handler_ms_per_s} (by API), {@code records_per_s} (by topic) and {@code streams_commits_per_s} (by
     * application id).
     */
    void addRatesTo(ObjectNode out, double seconds) {
        out.set("broker_requests_per_s", rates(requests, seconds, "Fetch"));
        out.set("broker_handler_ms_per_s", rates(handlerMs, seconds, "Fetch"));
        out.set("records_per_s", rates(records, seconds, null));
        out.set("streams_commits_per_s", rates(commits, seconds, null));
    }

    private static ObjectNode rates(Map<String, Long> counts, double seconds, String notInTotal) {
        ObjectNode n = JsonCodec.mapper().createObjectNode();
        n.put("total", LatencyStats.round(counts.entrySet().stream().filter(e -> !e.getKey().equals(notInTotal))
                .mapToLong(Map.Entry::getValue).sum() / seconds));
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> n.put(e.getKey(), LatencyStats.round(e.getValue() / seconds)));
        return n;
    }
}
