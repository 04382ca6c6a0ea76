package org.hypnostream.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hypnostream.app.Stagger;
import org.hypnostream.common.event.JsonCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code bench max-beds}' probes in child JVMs (ADR 0030): what goes to the child and what comes back, without a broker. */
class MaxBedsProbeTest {
    @Test
    void aProbesSettingsRoundTripThroughTheChildsArguments() {
        BenchPipelineCommand.Run run = new BenchPipelineCommand.Run(1600, 65, 1.0, 2, 4, 5, null, Stagger.ofSeconds(30))
                .withLightsOn(false);
        List<String> args = MaxBedsProbe.args(run, Path.of("/tmp/r.json"));
        assertThat(args.get(args.size() - 1)).isEqualTo("/tmp/r.json");
        assertThat(MaxBedsProbe.run(args)).isEqualTo(run);
        BenchPipelineCommand.Run lit = new BenchPipelineCommand.Run(25, 12.5, 1.0, 3, 4, 0, null, Stagger.ofSeconds(0.25));
        assertThat(MaxBedsProbe.run(MaxBedsProbe.args(lit, Path.of("r")))).isEqualTo(lit);
    }

    @Test
    void aRunThatIsNoProbeIsRefusedNotSilentlyChanged() {
        BenchPipelineCommand.Run fast = new BenchPipelineCommand.Run(10, 65, 2.0, 2, 4, 5, null, Stagger.ofSeconds(30));
        assertThatThrownBy(() -> MaxBedsProbe.args(fast, Path.of("r"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MaxBedsProbe.run(List.of("10", "65"))).hasMessageContaining("expected 7 arguments");
    }

    @Test
    void theOutcomeRoundTripsThroughItsJsonAndNoSamplesStaysNaN() throws Exception {
        ObjectNode pipeline = JsonCodec.mapper().createObjectNode();
        pipeline.put("heap_after_gc_monitor_mib", 512.5);
        var o = new BenchPipelineCommand.Outcome(pipeline, true, false, 123.4, 5e6, Double.NaN);
        JsonNode back = JsonCodec.mapper().readTree(MaxBedsProbe.toJson(o).toString());
        var r = MaxBedsProbe.fromJson(back);
        assertThat(r.keptUp()).isTrue();
        assertThat(r.complete()).isFalse();
        assertThat(r.p99Millis()).isEqualTo(123.4);
        assertThat(r.ingestBytesPerSecond()).isEqualTo(5e6);
        assertThat(r.ceilingBytesPerSecond()).isNaN();
        assertThat(r.json().get("heap_after_gc_monitor_mib").asDouble()).isEqualTo(512.5);
        var none = MaxBedsProbe.fromJson(JsonCodec.mapper().readTree(MaxBedsProbe.toJson(
                new BenchPipelineCommand.Outcome(pipeline, false, false, Double.NaN, 0, 0)).toString()));
        assertThat(none.p99Millis()).isNaN();
        assertThatThrownBy(() -> MaxBedsProbe.fromJson(JsonCodec.mapper().readTree("{\"kept_up\":true}")))
                .hasMessageContaining("without complete");
    }

    @Test
    void theChildGetsTheParentsJvmOptionsAndItsClassPathOutsideTheCommandLine() {
        ProcessBuilder pb = ChildJvm.of("/usr/bin/java", List.of("-Xmx4g", "--add-opens", "java.base/java.nio=ALL-UNNAMED",
                "-Dmodels.dir=models", "-agentlib:jdwp=transport=dt_socket", "-XX:StartFlightRecording=filename=x.jfr"),
                "a.jar:lib/b.jar", "org.example.Main", List.of("800", "x"));
        assertThat(pb.command()).containsExactly("/usr/bin/java", "-Xmx4g", "--add-opens", "java.base/java.nio=ALL-UNNAMED",
                "-Dmodels.dir=models", "org.example.Main", "800", "x");
        assertThat(pb.environment()).containsEntry("CLASSPATH", "a.jar:lib/b.jar").containsEntry("ORT_DISABLE_TELEMETRY", "1");
    }

    @Test
    void aRealChildJvmRunsWithTheParentsClassPathAndOptions(@TempDir Path tmp) throws Exception {
        List<String> opts = new ArrayList<>(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        opts.add("-Dhypnostream.test.echo=cold");
        ProcessBuilder pb = ChildJvm.of(ProcessHandle.current().info().command().orElse("java"), opts,
                System.getProperty("java.class.path"), ChildJvmEcho.class.getName(), List.of("a", "b"));
        Path out = tmp.resolve("out.txt");
        pb.redirectErrorStream(true).redirectOutput(out.toFile());
        Process p = pb.start();
        boolean ended = p.waitFor(60, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        String text = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(ended).as(text).isTrue();
        assertThat(p.exitValue()).as(text).isZero();
        assertThat(text).contains("args=a,b", "prop=cold", "ort=1", "heap=" + Runtime.getRuntime().maxMemory());
    }

    @Test
    void aProbeCarriesTheMonitorsHeapAndAProbeThatCannotRunFails() throws Exception {
        BenchMaxBedsCommand cmd = new BenchMaxBedsCommand(run -> {
            if (run.beds() > 100) {
                throw new IllegalStateException("max-beds probe of " + run.beds() + " beds: the child JVM exited with status 1");
            }
            ObjectNode json = JsonCodec.mapper().createObjectNode();
            json.put("heap_after_gc_mib", 600.0);
            json.put("heap_after_gc_monitor_mib", 550.0);
            json.put("heap_after_gc_monitor_per_bed_kib", 5632.0);
            return new BenchPipelineCommand.Outcome(json, true, true, 100, 1, Double.NaN);
        });
        new CommandLine(cmd).parseArgs("--start", "100", "--probes", "2");
        JsonNode out = cmd.search();
        assertThat(out.get("cold_probes").asBoolean()).as("a fake probe is not a cold child JVM").isFalse();
        assertThat(out.get("max_beds").asInt()).isEqualTo(100);
        assertThat(out.get("first_failing_beds").asInt()).isEqualTo(200);
        JsonNode first = out.get("probes").get(0);
        assertThat(first.get("heap_after_gc_monitor_mib").asDouble()).isEqualTo(550.0);
        assertThat(first.get("heap_after_gc_monitor_per_bed_kib").asDouble()).isEqualTo(5632.0);
        JsonNode failed = out.get("probes").get(1);
        assertThat(failed.get("pass").asBoolean()).isFalse();
        assertThat(failed.get("p99_ms").isNull()).isTrue();
        assertThat(failed.get("error").asText()).contains("exited with status 1");
    }
}
