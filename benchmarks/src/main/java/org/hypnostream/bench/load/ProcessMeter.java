package org.hypnostream.bench.load;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/** This JVM's CPU time (all threads, via com.sun.management) and heap. */
public final class ProcessMeter {
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

    /** Process CPU time in nanoseconds, or -1 when the platform does not report it. */
    public long cpuNanos() {
        return os.getProcessCpuTime();
    }

    public long heapUsedBytes() {
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** Heap in use after a full collection (System.gc() twice; the JVM may treat it as a hint). */
    public long heapAfterGcBytes() {
        System.gc();
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    /**
     * The least heap in use after each of {@code collections} full collections (System.gc(), a hint) back to back: a
     * running pipeline's live set moves by a few MiB from one collection to the next (fetches and batches in flight),
     * and the least of two is the steadier figure to compare two of. Each is a stop-the-world pause of every thread
     * (broker heartbeats included; a few seconds each on a starved machine), so keep them few.
     */
    public long heapAfterGcBytes(int collections) {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < collections; i++) {
            System.gc();
            least = Math.min(least, memory.getHeapMemoryUsage().getUsed());
        }
        return least;
    }

    /** 1-minute load average of the machine (other processes included). */
    public double loadAverage() {
        return os.getSystemLoadAverage();
    }

    /**
     * CPU seconds of the live threads, grouped by name with ids folded to <id> and digits to '#' (e.g. "kafka-producer-network-thread
     * | producer-#"), largest first: where the time went, for threads still alive at the end of a run.
     */
    public java.util.LinkedHashMap<String, Double> threadCpuSecondsByGroup(int top) {
        return largest(threadCpuNanosByGroup(), top);
    }

    /** CPU nanoseconds of the live threads by group (names folded as in {@link #threadCpuSecondsByGroup}). */
    public java.util.Map<String, Long> threadCpuNanosByGroup() {
        java.lang.management.ThreadMXBean t = ManagementFactory.getThreadMXBean();
        java.util.Map<String, Long> groups = new java.util.HashMap<>();
        for (java.lang.management.ThreadInfo i : t.getThreadInfo(t.getAllThreadIds())) {
            if (i == null) {
                continue;
            }
            long cpu = t.getThreadCpuTime(i.getThreadId());
            if (cpu > 0) {
                groups.merge(i.getThreadName().replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<id>")
                        .replaceAll("[0-9]+", "#"), cpu, Long::sum);
            }
        }
        return groups;
    }

    /**
     * CPU seconds per group between two {@link #threadCpuNanosByGroup} snapshots, largest first (threads that ended
     * in between are not counted).
     */
    public static java.util.LinkedHashMap<String, Double> cpuSecondsSince(java.util.Map<String, Long> before,
            java.util.Map<String, Long> after, int top) {
        java.util.Map<String, Long> d = new java.util.HashMap<>();
        after.forEach((k, v) -> d.put(k, v - before.getOrDefault(k, 0L)));
        return largest(d, top);
    }

    private static java.util.LinkedHashMap<String, Double> largest(java.util.Map<String, Long> nanos, int top) {
        java.util.LinkedHashMap<String, Double> out = new java.util.LinkedHashMap<>();
        nanos.entrySet().stream().sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
                .forEach(e -> out.put(e.getKey(), Math.round(e.getValue() / 1e7) / 100.0));
        return out;
    }

    public int processors() {
        return os.getAvailableProcessors();
    }
}
