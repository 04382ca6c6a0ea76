package org.hypnostream.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hypnostream.common.config.ModelsFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ONNX benchmarks in a forked JVM with a long command line, as JMH forks them (every jar of the class path
 * listed, ~7.5 KB): ONNX Runtime's start reads the command line and overflowed the default thread stack (SIGSEGV,
 * exit 139) unless {@code ORT_DISABLE_TELEMETRY} was set; {@link OrtStartup} starts it on a large stack. The child
 * here runs without that variable and with a 32 KB command line, so it exits 139 if OrtStartup does not do its job.
 */
class OrtStartupForkTest {
    @Test
    void aForkedJvmWithALongCommandLineStartsBothStagers(@TempDir Path tmp) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-Dhypnostream.test.padding=" + "x".repeat(32_000),
                "-Dmodels.dir=" + ModelsFolder.resolve(), "-Dchronicle.analytics.disable=true",
                "-cp", System.getProperty("java.class.path"), OrtStartupProbe.class.getName(), ModelsFolder.resolve().toString()));
        pb.environment().remove("ORT_DISABLE_TELEMETRY");
        Path log = tmp.resolve("child.log");
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        Process p = pb.start();
        boolean ended = p.waitFor(120, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        String out = read(log);
        assertThat(ended).as("child ended within 120 s; output: %s", out).isTrue();
        assertThat(p.exitValue()).as("child exit status (139 = SIGSEGV); output: %s", out).isZero();
        assertThat(out).contains("sessions ok");
    }

    private static String read(Path f) throws IOException {
        return Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8) : "";
    }
}
