package org.hypnostream.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.hypnostream.common.event.StageEvent;
import org.hypnostream.common.topic.Topics;

/**
 * Watches {@code stage-events.v1} the way a live reader does (read_committed, from the beginning, no group) and
 * measures, per bed, the longest wall-clock pause between two stage events of that bed as they became readable; also
 * when each bed's first stage event after a given instant arrived (a takeover). Runs on its own thread until closed.
 */
final class StageEventWatch implements AutoCloseable {
    private final KafkaConsumer<String, StageEvent> consumer;
    private final Thread thread;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Map<String, Long> lastNanos = new HashMap<>();
    private final Map<String, Long> longestPauseNanos = new TreeMap<>();
    private final Map<String, Long> longestPauseEndNanos = new HashMap<>();
    private final Map<String, List<Long>> perBed = new HashMap<>();
    private long seen;
    private volatile RuntimeException failure;

    private StageEventWatch(String bootstrap) {
        Map<String, Object> cfg = new HashMap<>();
        cfg.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        cfg.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        cfg.put(ConsumerConfig.CLIENT_ID_CONFIG, "stage-event-watch");
        consumer = new KafkaConsumer<>(cfg, Topics.STAGE_EVENTS.keySerde().deserializer(),
                Topics.STAGE_EVENTS.valueSerde().deserializer());
        List<TopicPartition> parts = new ArrayList<>();
        consumer.partitionsFor(Topics.STAGE_EVENTS.name(), Duration.ofSeconds(30))
                .forEach(p -> parts.add(new TopicPartition(p.topic(), p.partition())));
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
        thread = new Thread(this::run, "stage-event-watch");
        thread.setDaemon(true);
    }

    static StageEventWatch start(String bootstrap) {
        StageEventWatch w = new StageEventWatch(bootstrap);
        w.thread.start();
        return w;
    }

    private void run() {
        try {
            while (running.get()) {
                for (ConsumerRecord<String, StageEvent> r : consumer.poll(Duration.ofMillis(100))) {
                    record(r.value().bedId(), System.nanoTime());
                }
            }
        } catch (RuntimeException e) {
            if (running.get()) {
                failure = e;
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private synchronized void record(String bed, long now) {
        Long last = lastNanos.put(bed, now);
        perBed.computeIfAbsent(bed, b -> new ArrayList<>()).add(now);
        seen++;
        notifyAll();
        if (last != null && now - last > longestPauseNanos.getOrDefault(bed, 0L)) {
            longestPauseNanos.put(bed, now - last);
            longestPauseEndNanos.put(bed, now);
        }
    }

    /** Stage events seen so far. */
    synchronized long seen() {
        check();
        return seen;
    }

    /**
     * Waits until {@code events} stage events were seen, each of {@code alive} staying alive meanwhile (a dead one fails
     * the wait at once, with its log); fails naming {@code what} after {@code timeout}. Woken by every stage event, it
     * looks at the services at least every 100 ms.
     */
    synchronized void awaitSeen(long events, Duration timeout, String what, List<ServiceProcess> alive)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (seen() < events) {
            for (ServiceProcess s : alive) {
                assertThat(s.isAlive()).as("%s alive while waiting for %s; log:\n%s", s, what, s.logTail()).isTrue();
            }
            assertThat(System.nanoTime()).as("%s (%d stage events) within %s; seen %d", what, events, timeout, seen)
                    .isLessThan(deadline);
            wait(100);
        }
    }

    /** The longest pause between two stage events of one bed, over all beds. */
    synchronized Duration longestPause() {
        check();
        return Duration.ofNanos(longestPauseNanos.values().stream().mapToLong(Long::longValue).max().orElse(0));
    }

    /** Each bed's longest pause, for the report line. */
    synchronized Map<String, Duration> longestPauses() {
        Map<String, Duration> out = new TreeMap<>();
        longestPauseNanos.forEach((bed, n) -> out.put(bed, Duration.ofNanos(n)));
        return out;
    }

    /**
     * For every bed in {@code beds}: how long after {@code sinceNanos} ({@link System#nanoTime()}) its first stage event
     * arrived; a bed with none since then is absent.
     */
    synchronized Map<String, Duration> resumedAfter(long sinceNanos, List<String> beds) {
        check();
        Map<String, Duration> out = new TreeMap<>();
        for (String bed : beds) {
            for (long t : perBed.getOrDefault(bed, List.of())) {
                if (t > sinceNanos) {
                    out.put(bed, Duration.ofNanos(t - sinceNanos));
                    break;
                }
            }
        }
        return out;
    }

    private void check() {
        if (failure != null) {
            throw new IllegalStateException("the stage-event reader failed", failure);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        consumer.wakeup();
        thread.join(10_000);
    }
}
