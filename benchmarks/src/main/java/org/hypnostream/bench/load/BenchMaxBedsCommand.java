package org.hypnostream.bench.load;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.Callable;
import org.hypnostream.app.Stagger;
import org.hypnostream.common.event.JsonCodec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hypnostream bench max-beds}: the largest bed count that stays real time (kept up, complete) with p99
 * end-to-end latency under a bound: doubling from {@code --start} until a probe fails, then bisection. Every probe is
 * a fresh {@code bench pipeline} run (own broker) in a fresh child JVM ({@link MaxBedsProbe}, ADR 0030): cold, as a
 * monitor after a restart, never warmed up by the probe before it; each is reported. A probe whose child JVM fails
 * (exits with an error, or no result) counts as failing, with its {@code error}. A probe judges the live pipeline only: by default
 * its beds get no lights-on mark when their recordings stop, so no morning re-score runs and the probe does not wait for
 * one ({@code --lights-on} brings both back, as {@code bench pipeline} does, and reports {@code lights_on_rescore_s}).
 */
@Command(name = "max-beds", mixinStandardHelpOptions = true,
        description = "Largest N beds in real time with p99 end-to-end latency under --p99-ms (doubling, then bisection).")
final class BenchMaxBedsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--start", defaultValue = "25", description = "First probe's beds (default ${DEFAULT-VALUE}).")
    int start;

    @Option(names = "--max", defaultValue = "4000", description = "Never probe more beds than this (default ${DEFAULT-VALUE}).")
    int max;

    @Option(names = "--duration", defaultValue = "65", description = "Wall seconds per probe; >= 60 gives two epochs per bed (default ${DEFAULT-VALUE}).")
    double durationSeconds;

    @Option(names = "--p99-ms", defaultValue = "1000", description = "Latency bound (default ${DEFAULT-VALUE}).")
    double p99Millis;

    @Option(names = "--probes", defaultValue = "7", description = "At most this many probes (default ${DEFAULT-VALUE}).")
    int maxProbes;

    @Option(names = "--ceiling-seconds", defaultValue = "10", description = "Raw Kafka ceiling seconds after each probe (default ${DEFAULT-VALUE}).")
    double ceilingSeconds;

    @Option(names = "--clients", defaultValue = "2", description = "Websocket clients per probe (default ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--stagger", defaultValue = "30", description = "Beds' starts spread over this many seconds (default ${DEFAULT-VALUE}).")
    double staggerSeconds;

    @Option(names = "--lights-on", negatable = true, defaultValue = "false", description = "Mark lights-on for every bed "
            + "when a probe's recordings stop and wait (up to 300 s) for the morning re-scores, as bench pipeline does; "
            + "off by default: a probe judges the live pipeline, which the re-scores are not part of (default ${DEFAULT-VALUE}).")
    boolean lightsOn;

    @Option(names = "--json", description = "Print one JSON object instead of the text summary.")
    boolean json;

    /** One probe: a load run of the given settings. */
    @FunctionalInterface
    interface Probe {
        BenchPipelineCommand.Outcome run(BenchPipelineCommand.Run run) throws Exception;
    }

    private final Probe probe;

    BenchMaxBedsCommand() {
        this(null);
    }

    /** With another probe than a cold load run in a child JVM (the tests'); null = that one. */
    BenchMaxBedsCommand(Probe probe) {
        this.probe = probe;
    }

    @Override
    public Integer call() throws Exception {
        ObjectNode out;
        if (probe != null) {
            out = search(probe);
        } else {
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("hypnostream-max-beds-");
            try {
                out = search(new MaxBedsProbe(dir));
            } finally {
                BenchPipelineCommand.deleteQuietly(dir);
            }
        }
        System.out.println(json ? out.toString() : text(out));
        return 0;
    }

    /** Runs the probes (doubling, then bisection) and returns what they found. */
    ObjectNode search() throws Exception {
        return search(probe);
    }

    private ObjectNode search(Probe probe) throws Exception {
        if (start < 1 || max < start || maxProbes < 1 || maxProbes > 30 || !(p99Millis > 0) || clients < 1 || clients > 20
                || !(durationSeconds >= 5) || ceilingSeconds < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "max-beds: need 1 <= --start <= --max, 1 <= --probes <= 30, --p99-ms > 0; got start "
                    + start + ", max " + max + ", probes " + maxProbes + ", p99 " + p99Millis + " (and --clients 1-20, --duration >= 5, --ceiling-seconds >= 0)");
        }
        ObjectNode out = JsonCodec.mapper().createObjectNode();
        out.put("kind", "max-beds");
        out.put("p99_bound_ms", p99Millis);
        out.put("probe_duration_s", durationSeconds);
        out.put("lights_on", lightsOn);
        out.put("cold_probes", probe instanceof MaxBedsProbe);
        ArrayNode probes = out.putArray("probes");
        int good = 0;
        ObjectNode goodProbe = null;
        int bad = -1;
        int n = start;
        for (int i = 0; i < maxProbes && n >= 1 && n <= max; i++) {
            BenchPipelineCommand.Run run = new BenchPipelineCommand.Run(n, durationSeconds, 1.0, clients, 4, ceilingSeconds, null,
                    Stagger.ofSeconds(staggerSeconds)).withLightsOn(lightsOn);
            ObjectNode p = probes.addObject();
            p.put("beds", n);
            BenchPipelineCommand.Outcome o;
            try {
                o = probe.run(run);
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                o = new BenchPipelineCommand.Outcome(JsonCodec.mapper().createObjectNode(), false, false, Double.NaN, Double.NaN, Double.NaN);
                p.put("error", e.getMessage());
                System.err.printf("max-beds probe %d: %d beds failed to run: %s%n", i + 1, n, e.getMessage());
            }
            boolean pass = o.keptUp() && o.complete() && o.p99Millis() < p99Millis;
            p.put("pass", pass);
            p.put("kept_up", o.keptUp());
            p.put("complete", o.complete());
            if (Double.isFinite(o.p99Millis())) {
                p.put("p99_ms", o.p99Millis());
            } else {
                p.putNull("p99_ms");
            }
            p.set("e2e_latency", o.json().get("e2e_latency"));
            p.set("e2e_latency_second_half", o.json().get("e2e_latency_second_half"));
            for (String k : new String[] {"ingest_bytes_per_s", "ingest_to_ceiling_ratio", "cpu_cores_used", "cpu_ms_per_bed_second",
                "heap_after_gc_mib", "heap_after_gc_per_bed_kib", "heap_after_gc_monitor_mib", "heap_after_gc_monitor_per_bed_kib",
                "drain_after_end_s", "load_average_before", "load_average_after", "startup_s"}) {
                if (o.json().has(k)) {
                    p.set(k, o.json().get(k));
                }
            }
            if (lightsOn && o.json().has("lights_on_rescore_s")) {
                p.set("lights_on_rescore_s", o.json().get("lights_on_rescore_s"));
            }
            if (o.json().has("kafka_ceiling")) {
                p.set("ceiling_bytes_per_s", o.json().get("kafka_ceiling").get("consumed_bytes_per_s"));
            }
            System.err.printf("max-beds probe %d: %d beds -> %s (kept up %s, complete %s, p99 %.1f ms)%n", i + 1, n,
                    pass ? "PASS" : "FAIL", o.keptUp(), o.complete(), o.p99Millis());
            if (pass) {
                good = n;
                goodProbe = p;
            } else {
                bad = n;
            }
            int next = bad < 0 ? Math.min(n * 2, max) : (good + bad) / 2;
            if (next == n || (bad > 0 && bad - good <= Math.max(5, good / 10))) {
                break;
            }
            n = next;
        }
        out.put("max_beds", good);
        out.put("first_failing_beds", bad);
        if (goodProbe != null) {
            out.set("at_max", goodProbe);
        }
        return out;
    }

    private static String text(ObjectNode out) {
        StringBuilder b = new StringBuilder("max-beds: largest real-time N with p99 < " + out.get("p99_bound_ms") + " ms = "
                + out.get("max_beds") + " (first failing: " + out.get("first_failing_beds") + "; lights-on re-scores "
                + (out.get("lights_on").asBoolean() ? "on" : "off") + "; " + (out.get("cold_probes").asBoolean()
                ? "each probe in a fresh JVM" : "probes in this JVM") + ")\n");
        out.get("probes").forEach(p -> b.append(String.format("  %5d beds: %s  kept up %s  complete %s  p99 %s ms  ceiling ratio %s  cpu %s cores  heap/bed %s KiB (monitor %s KiB)%s%n",
                p.get("beds").asInt(), p.get("pass").asBoolean() ? "PASS" : "FAIL", p.get("kept_up"), p.get("complete"), p.get("p99_ms"),
                p.path("ingest_to_ceiling_ratio"), p.get("cpu_cores_used"), p.get("heap_after_gc_per_bed_kib"),
                p.path("heap_after_gc_monitor_per_bed_kib"), p.has("error") ? "  error: " + p.get("error").asText() : "")));
        return b.toString();
    }
}
