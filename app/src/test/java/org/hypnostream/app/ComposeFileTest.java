package org.hypnostream.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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

    /** Each long-running Hypnostream service is checked at /health/ready on the port its environment gives it. */
    @Test
    @SuppressWarnings("unchecked")
    void everyServiceHasAReadinessHealthcheckOnItsOwnPort() throws Exception {
        Map<String, Object> services = (Map<String, Object>) new org.yaml.snakeyaml.Yaml()
                .<Map<String, Object>>load(Files.readString(ROOT.resolve("docker-compose.yml"))).get("services");
        Map<String, String> portKey = Map.of("gateway", "HYPNOSTREAM_GATEWAY_METRICS_PORT",
                "stream-processor", "HYPNOSTREAM_STREAM_METRICS_PORT", "inference", "HYPNOSTREAM_INFERENCE_METRICS_PORT",
                "dashboard", "HYPNOSTREAM_DASHBOARD_HTTP_PORT");
        int checked = 0;
        for (var e : services.entrySet()) {
            Map<String, Object> svc = (Map<String, Object>) e.getValue();
            List<String> command = (List<String>) svc.get("command");
            if (command == null || !portKey.containsKey(command.get(0))) {
                continue; // kafka, prometheus, the one-shot topics job
            }
            Map<String, Object> env = (Map<String, Object>) svc.get("environment");
            String port = String.valueOf(env.get(portKey.get(command.get(0))));
            Map<String, Object> hc = (Map<String, Object>) svc.get("healthcheck");
            assertThat(hc).as("healthcheck of %s", e.getKey()).isNotNull();
            List<String> test = (List<String>) hc.get("test");
            assertThat(test).as("healthcheck of %s", e.getKey())
                    .containsSubsequence("probe", "http://localhost:" + port + "/health/ready");
            assertThat(new CommandLine(new HypnostreamMain()).getSubcommands()).containsKey(test.get(test.indexOf("probe")));
            checked++;
        }
        assertThat(checked).isEqualTo(5);
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
