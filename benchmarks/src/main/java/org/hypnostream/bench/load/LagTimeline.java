package org.hypnostream.bench.load;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;
import org.hypnostream.common.event.JsonCodec;

/**
 * Lag samples taken during a load run, and the "kept up" verdict: a lag kept up when its mean over the last third
 * of the run is not above its mean over the first third plus a slack (lag jitters by a block or an epoch). Samples
 * can also be streamed as JSON lines while the run goes on, so a run that dies still leaves its timeline.
 */
public final class LagTimeline {

    /**
     * @param seconds         since the load started
     * @param outboxLag       blocks journaled but not yet acknowledged by Kafka
     * @param pumpBehind      blocks that real time says should have been journaled by now but were not
     * @param spineLag        records of samples.v1 not yet consumed by the spine
     * @param inferenceLag    records of eeg-epochs.v1 + leg-windows.v1 not yet consumed by inference
     * @param heapUsedBytes   heap in use (not after GC)
     * @param cpuCores        process CPU since the previous sample, in cores
     * @param diskBytes       bytes under the run's work directory (broker logs, outbox, state stores)
     */
    public record Sample(double seconds, long outboxLag, long pumpBehind, long spineLag, long inferenceLag,
            long heapUsedBytes, double cpuCores, long diskBytes) {
    }

    private final List<Sample> samples = new ArrayList<>();
    private final Writer lines;

    /** Keeps the samples in memory only. */
    public LagTimeline() {
        this(null);
    }

    /** Also writes each sample to {@code lines} as one JSON line, flushed, as it is added (null: memory only). */
    public LagTimeline(Writer lines) {
        this.lines = lines;
    }

    public synchronized void add(Sample s) {
        samples.add(s);
        if (lines != null) {
            try {
                lines.write(json(s).toString());
                lines.write('\n');
                lines.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the lag timeline: " + e.getMessage(), e);
            }
        }
    }

    public synchronized List<Sample> samples() {
        return List.copyOf(samples);
    }

    /** Whether a lag did not grow; true when there are too few samples to tell (fewer than 3). */
    public synchronized boolean keptUp(ToLongFunction<Sample> lag, long slack) {
        int third = samples.size() / 3;
        if (third == 0) {
            return true;
        }
        double first = mean(samples.subList(0, third), lag);
        double last = mean(samples.subList(samples.size() - third, samples.size()), lag);
        return last <= first + slack;
    }

    private static double mean(List<Sample> s, ToLongFunction<Sample> lag) {
        return s.stream().mapToLong(lag).average().orElse(0);
    }

    public synchronized ArrayNode json() {
        ArrayNode a = JsonCodec.mapper().createArrayNode();
        for (Sample s : samples) {
            a.add(json(s));
        }
        return a;
    }

    private static ObjectNode json(Sample s) {
        ObjectNode n = JsonCodec.mapper().createObjectNode();
        n.put("t_s", LatencyStats.round(s.seconds()));
        n.put("outbox_lag", s.outboxLag());
        n.put("pump_behind", s.pumpBehind());
        n.put("spine_lag", s.spineLag());
        n.put("inference_lag", s.inferenceLag());
        n.put("heap_mib", LatencyStats.round(s.heapUsedBytes() / 1048576.0));
        n.put("cpu_cores", LatencyStats.round(s.cpuCores()));
        n.put("disk_mib", LatencyStats.round(s.diskBytes() / 1048576.0));
        return n;
    }
}
