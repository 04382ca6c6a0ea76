package org.hypnostream.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The launcher lists {@code bench} but does not hold the benchmarks (module benchmarks does; bin/hypnostream routes there). */
class BenchCommandTest {
    @Test
    void helpListsBench() {
        StringWriter usage = new StringWriter();
        new CommandLine(new HypnostreamMain()).usage(new PrintWriter(usage));
        assertThat(usage.toString()).containsPattern("(?m)^\\s+bench\\s+Performance benchmarks");
    }

    @Test
    void benchRunFromTheLauncherJarSaysWhereTheBenchmarksAreAndFails() {
        assertThat(new CommandLine(new HypnostreamMain()).execute("bench", "pipeline", "--beds", "2")).isEqualTo(2);
    }
}
