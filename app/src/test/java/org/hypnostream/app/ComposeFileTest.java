package org.hypnostream.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * docker-compose.yml is validated by Docker Compose itself ({@code docker-compose config}, Debian package, installed
 * by .ci/run); every service command it runs is a real subcommand of the launcher.
 */
class ComposeFileTest {
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

    @Test
    void composeFileIsValid() throws Exception {
        Path compose = ROOT.resolve("docker-compose.yml");
        Process p = new ProcessBuilder("docker-compose", "-f", compose.toString(), "config", "--quiet")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("docker-compose config: %s", out).isZero();
    }

    @Test
    void everyComposeCommandIsALauncherSubcommand() throws Exception {
        String yaml = Files.readString(ROOT.resolve("docker-compose.yml"));
        CommandLine cli = new CommandLine(new HypnostreamMain());
        var m = java.util.regex.Pattern.compile("command: \\[\"([a-z-]+)\"\\]").matcher(yaml);
        int n = 0;
        while (m.find()) {
            assertThat(cli.getSubcommands()).as("compose command %s", m.group(1)).containsKey(m.group(1));
            n++;
        }
        assertThat(n).isGreaterThanOrEqualTo(5);
    }
}
