package org.hypnostream.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hypnostream demo} as a newcomer meets it, in a child JVM whose temp directory is a fresh folder: the console
 * shows the demo's own lines only (no log lines from Kafka or anyone), the dashboard sign-in comes last and again once
 * stages arrive, and nothing is left in the temp directory, whether the run ends by {@code --duration} or SIGTERM.
 */
class DemoConsoleIT {
    /** A log line in any of the layouts (file, service console): starts with a time or a level. */
    private static final java.util.regex.Pattern LOG_LINE =
            java.util.regex.Pattern.compile("^(\\d\\d:\\d\\d:\\d\\d|\\[?(TRACE|DEBUG|INFO|WARN|WARNING|ERROR)\\b).*");

    @TempDir
    Path tmp;

    @Test
    void aTimedRunPrintsAFewOwnLinesAndLeavesNothingInTmp() throws Exception {
        Demo child = start("--duration", "6", "--speed", "20", "--beds", "2", "--partitions", "2", "--port", "0");
        assertThat(child.process.waitFor(4, TimeUnit.MINUTES)).as("demo ended; output so far:\n%s", child.text()).isTrue();
        child.drained();
        List<String> lines = child.lines;
        assertThat(child.process.exitValue()).as(child.text()).isZero();
        assertThat(lines).as(child.text()).hasSizeLessThan(15).noneMatch(l -> LOG_LINE.matcher(l).matches());
        assertThat(lines.get(0)).startsWith("Hypnostream demo: 2 synthetic beds").contains(DemoWorkDir.LOG_FILE);
        List<String> banners = lines.stream().filter(l -> l.startsWith("Dashboard: http://localhost:")).toList();
        assertThat(banners).as(child.text()).hasSize(2).containsOnly(banners.get(0)).allMatch(l -> l.contains("sign in as 'nurse'"));
        int stagesIn = indexOfStart(lines, "First sleep stages are in");
        assertThat(stagesIn).as(child.text()).isPositive();
        assertThat(lines.get(stagesIn + 1)).isEqualTo(banners.get(0));
        assertThat(lines.get(lines.size() - 1)).startsWith("{\"beds\":[");
        assertThat(leftIn(tmp)).as("left in the temp directory").isEmpty();
    }

    @Test
    void sigtermStopsTheDemoAndDeletesItsWorkDir() throws Exception {
        Demo child = start("--beds", "1", "--partitions", "1", "--port", "0");
        String banner = child.awaitLineStarting("Dashboard: http://localhost:");
        assertThat(banner).contains("sign in as 'nurse'");
        assertThat(leftIn(tmp)).as("the work dir while running").anyMatch(p -> p.startsWith("hypnostream-demo-"));
        child.process.toHandle().destroy(); // SIGTERM (Process.destroy would also close our end of its output)
        assertThat(child.process.waitFor(2, TimeUnit.MINUTES)).as("demo stopped on SIGTERM").isTrue();
        child.drained();
        assertThat(child.lines).as(child.text()).contains("Stopping ...").noneMatch(l -> LOG_LINE.matcher(l).matches());
        assertThat(leftIn(tmp)).as("left in the temp directory").isEmpty();
    }

    private static int indexOfStart(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    private static List<String> leftIn(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private Demo start(String... args) throws IOException {
        List<String> cmd = ServiceProcess.childJvm(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Djava.io.tmpdir=" + tmp), HypnostreamMain.class.getName());
        cmd.add("demo");
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("HYPNOSTREAM_MODELS_DIR", SpineEndToEndIT.MODELS.toString());
        pb.environment().put("ORT_DISABLE_TELEMETRY", "1");
        return new Demo(pb.start());
    }

    /** The child's console (stdout and stderr together), line by line as it comes. */
    private static final class Demo {
        final Process process;
        final List<String> lines = new CopyOnWriteArrayList<>();
        final LinkedBlockingQueue<String> fresh = new LinkedBlockingQueue<>();
        final Thread reader;

        Demo(Process process) {
            this.process = process;
            this.reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l = r.readLine(); l != null; l = r.readLine()) {
                        lines.add(l);
                        fresh.add(l);
                    }
                } catch (IOException e) {
                    lines.add("(reading the console failed: " + e + ")");
                }
            }, "demo-console");
            reader.start();
        }

        String awaitLineStarting(String prefix) throws InterruptedException {
            while (true) {
                String l = fresh.poll(3, TimeUnit.MINUTES);
                assertThat(l).as("a line starting %s; output so far:\n%s", prefix, text()).isNotNull();
                if (l.startsWith(prefix)) {
                    return l;
                }
            }
        }

        void drained() throws InterruptedException {
            reader.join(10_000);
        }

        String text() {
            return String.join("\n", lines);
        }
    }
}
