package org.hypnostream.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.hypnostream.app.Stagger;
import org.hypnostream.common.event.JsonCodec;

/**
 * One {@code bench max-beds} probe in a fresh child JVM (ADR 0030): cold JIT, a fresh broker, nothing left over from
 * an earlier probe. The parent passes the probe's settings as arguments ({@link #args}), the child ({@link #main})
 * runs {@link BenchPipelineCommand#run} and writes the outcome as one JSON object to the result file
 * ({@link #toJson}); the parent reads it back ({@link #fromJson}). Its progress goes to the parent's stderr.
 */
final class MaxBedsProbe implements BenchMaxBedsCommand.Probe {
    private final Path dir;

    /** @param dir where each probe's result file and stdout go */
    MaxBedsProbe(Path dir) {
        this.dir = dir;
    }

    @Override
    public BenchPipelineCommand.Outcome run(BenchPipelineCommand.Run run) throws Exception {
        Path result = dir.resolve("probe-" + run.beds() + "-beds.json");
        Files.deleteIfExists(result);
        ProcessBuilder pb = ChildJvm.of(MaxBedsProbe.class.getName(), args(run, result));
        pb.redirectError(ProcessBuilder.Redirect.INHERIT).redirectOutput(dir.resolve("probe-" + run.beds() + "-beds.out").toFile());
        Process p = pb.start();
        long limitSeconds = Math.round((run.durationSeconds() + run.stagger().spread().toSeconds()) * 3 + run.ceilingSeconds()) + 900;
        try {
            if (!p.waitFor(limitSeconds, TimeUnit.SECONDS)) {
                throw new IllegalStateException("max-beds probe of " + run.beds() + " beds: the child JVM did not end within " + limitSeconds + " s");
            }
        } finally {
            if (p.isAlive()) {
                // timed out, or this thread was interrupted: the child must not outlive its probe
                p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
        if (p.exitValue() != 0 || !Files.exists(result)) {
            throw new IllegalStateException("max-beds probe of " + run.beds() + " beds: the child JVM exited with status "
                    + p.exitValue() + (Files.exists(result) ? "" : " and no result"));
        }
        return fromJson(JsonCodec.mapper().readTree(Files.readString(result)));
    }

    /** The child's arguments for {@code run}: beds, duration, clients, ceiling seconds, stagger seconds, lights-on, result file. */
    static List<String> args(BenchPipelineCommand.Run run, Path result) {
        if (run.speed() != 1.0 || run.partitions() != 4 || run.workDir() != null || run.retentionMinutes() != 0
                || run.timelineFile() != null || run.floorSeconds() != 0 || run.idleSeconds() != 0) {
            throw new IllegalArgumentException("a max-beds probe runs in real time with 4 partitions and no work dir, retention, "
                    + "timeline, floor or idle span; got " + run);
        }
        return List.of(Integer.toString(run.beds()), num(run.durationSeconds()), Integer.toString(run.clients()),
                num(run.ceilingSeconds()), num(run.stagger().spread().toNanos() / 1e9), Boolean.toString(run.lightsOn()),
                result.toString());
    }

    /** The run {@link #args} describe, and its result file. */
    static BenchPipelineCommand.Run run(List<String> a) {
        if (a.size() != 7) {
            throw new IllegalArgumentException("max-beds probe: expected 7 arguments (beds, duration s, clients, ceiling s, "
                    + "stagger s, lights-on, result file), got " + a);
        }
        return new BenchPipelineCommand.Run(Integer.parseInt(a.get(0)), Double.parseDouble(a.get(1)), 1.0, Integer.parseInt(a.get(2)),
                4, Double.parseDouble(a.get(3)), null, Stagger.ofSeconds(Double.parseDouble(a.get(4))))
                .withLightsOn(Boolean.parseBoolean(a.get(5)));
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%s", v);
    }

    static ObjectNode toJson(BenchPipelineCommand.Outcome o) {
        ObjectNode n = JsonCodec.mapper().createObjectNode();
        n.put("kept_up", o.keptUp());
        n.put("complete", o.complete());
        putNumber(n, "p99_ms", o.p99Millis());
        putNumber(n, "ingest_bytes_per_s", o.ingestBytesPerSecond());
        putNumber(n, "ceiling_bytes_per_s", o.ceilingBytesPerSecond());
        n.set("pipeline", o.json());
        return n;
    }

    static BenchPipelineCommand.Outcome fromJson(JsonNode n) {
        for (String k : new String[] {"kept_up", "complete", "pipeline"}) {
            if (!n.has(k)) {
                throw new IllegalArgumentException("max-beds probe result without " + k + ": " + n);
            }
        }
        return new BenchPipelineCommand.Outcome((ObjectNode) n.get("pipeline"), n.get("kept_up").asBoolean(), n.get("complete").asBoolean(),
                number(n, "p99_ms"), number(n, "ingest_bytes_per_s"), number(n, "ceiling_bytes_per_s"));
    }

    /** A NaN (no samples) is written as null, and read back as NaN. */
    private static void putNumber(ObjectNode n, String k, double v) {
        if (Double.isFinite(v)) {
            n.put(k, v);
        } else {
            n.putNull(k);
        }
    }

    private static double number(JsonNode n, String k) {
        JsonNode v = n.get(k);
        return v == null || !v.isNumber() ? Double.NaN : v.asDouble();
    }

    /** The child: runs one probe, writes its outcome to the result file (the last argument). */
    public static void main(String[] args) throws IOException {
        BenchPipelineCommand.Run run = run(List.of(args));
        Path result = Path.of(args[args.length - 1]);
        try {
            BenchPipelineCommand.Outcome o = BenchPipelineCommand.run(run, System.err);
            Files.writeString(result, toJson(o).toString());
        } catch (Exception e) {
            System.err.println("max-beds probe of " + run.beds() + " beds failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
        // the demo's non-daemon threads must not keep the child alive
        System.exit(0);
    }
}
