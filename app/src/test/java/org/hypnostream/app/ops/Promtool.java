package org.hypnostream.app.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The Prometheus binaries of the Debian {@code prometheus} package ({@code prometheus}, {@code promtool}), found on
 * the PATH. Outside CI a missing binary skips the test with the install command; with {@code CI=true} (set by
 * .ci/run, which installs the package) it fails the test.
 */
final class Promtool {
    /** The repository root (tests run in a module folder). */
    static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

    private Promtool() {
    }

    /** The binary, or the test is skipped (fails under CI=true) with the reason. */
    static Path require(String name) {
        Optional<Path> found = onPath(name);
        String reason = name + " not found on the PATH: install the Debian package (apt-get install prometheus)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            assertThat(found).as(reason + "; CI=true, so this is a failure, not a skip").isPresent();
        }
        assumeThat(found).as(reason).isPresent();
        return found.orElseThrow();
    }

    static Optional<Path> onPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** What one run of a command printed and its exit status. */
    record Result(int status, String output) {
    }

    /** Runs {@code command} in {@code dir}; stdout and stderr together. */
    static Result run(Path dir, Duration timeout, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(List.of(command))).directory(dir.toFile()).redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " still running after " + timeout + ":\n" + out);
        }
        return new Result(p.exitValue(), out);
    }
}
