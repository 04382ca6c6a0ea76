package org.hypnostream.app.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/prometheus-alerts.yml is checked and unit-tested by promtool (Debian {@code prometheus} package), and
 * deploy/prometheus.yml loads it: {@code promtool check rules}, {@code promtool test rules}, {@code promtool check config}.
 */
class PrometheusRulesTest {
    private static final Path DEPLOY = Promtool.ROOT.resolve("deploy");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void alertRulesAreValid() throws Exception {
        Path promtool = Promtool.require("promtool");
        Promtool.Result r = Promtool.run(DEPLOY, TIMEOUT, promtool.toString(), "check", "rules", "prometheus-alerts.yml");
        assertThat(r.status()).as("promtool check rules:\n%s", r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS");
    }

    @Test
    void alertRulesPassTheirUnitTests() throws Exception {
        Path promtool = Promtool.require("promtool");
        Promtool.Result r = Promtool.run(DEPLOY, TIMEOUT, promtool.toString(), "test", "rules", "prometheus-alerts.test.yml");
        System.out.printf("promtool test rules deploy/prometheus-alerts.test.yml: status %d%n%s", r.status(), r.output());
        assertThat(r.status()).as("promtool test rules:\n%s", r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS").doesNotContain("FAILED");
    }

    /** The rule tests can fail: an alert that never fires is caught (guards against a test file that checks nothing). */
    @Test
    void aBrokenRuleFailsTheRuleTests() throws Exception {
        Path promtool = Promtool.require("promtool");
        String rules = Files.readString(DEPLOY.resolve("prometheus-alerts.yml"));
        String broken = rules.replace("hypnostream_ingest_outbox_lag > 1000", "hypnostream_ingest_outbox_lag > 100000");
        assertThat(broken).isNotEqualTo(rules);
        Files.writeString(dir.resolve("prometheus-alerts.yml"), broken);
        Files.copy(DEPLOY.resolve("prometheus-alerts.test.yml"), dir.resolve("prometheus-alerts.test.yml"));
        Promtool.Result r = Promtool.run(dir, TIMEOUT, promtool.toString(), "test", "rules", "prometheus-alerts.test.yml");
        assertThat(r.status()).as("promtool test rules on a broken rule:\n%s", r.output()).isNotZero();
        assertThat(r.output()).contains("FAILED").contains("HypnostreamOutboxLagHigh");
    }

    @Test
    void prometheusConfigLoadsTheRules() throws Exception {
        Path promtool = Promtool.require("promtool");
        Promtool.Result r = Promtool.run(DEPLOY, TIMEOUT, promtool.toString(), "check", "config", "prometheus.yml");
        assertThat(r.status()).as("promtool check config:\n%s", r.output()).isZero();
        assertThat(r.output()).contains("prometheus-alerts.yml").contains("SUCCESS");
    }
}
