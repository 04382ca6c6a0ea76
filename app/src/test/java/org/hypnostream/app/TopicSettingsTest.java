package org.hypnostream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import org.hypnostream.common.config.ConfigException;
import org.hypnostream.common.config.ConfigReader;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The {@code topics.*} settings of {@code create-topics}: defaults, reading, and refusals before Kafka is asked. */
class TopicSettingsTest {

    @Test
    void defaultsAreOnePartitionCopyAndTheBrokersMinInsyncReplicas() {
        ConfigReader r = ConfigReader.of(Map.of());
        TopicSettings s = TopicSettings.fromEnvironment(r);
        r.validate();
        assertThat(s).isEqualTo(new TopicSettings(4, (short) 1, OptionalInt.empty()));
        assertThat(s.topicConfigs()).isEmpty();
    }

    @Test
    void readsAProductionLayout() {
        ConfigReader r = ConfigReader.of(Map.of("topics.partitions", "12", "topics.replication.factor", "3",
                "topics.min.insync.replicas", "2"));
        TopicSettings s = TopicSettings.fromEnvironment(r);
        r.validate();
        assertThat(s).isEqualTo(new TopicSettings(12, (short) 3, OptionalInt.of(2)));
        assertThat(s.topicConfigs()).containsExactly(Map.entry("min.insync.replicas", "2"));
    }

    @Test
    void namesHowAnExistingTopicDiffers() {
        TopicSettings production = new TopicSettings(12, (short) 3, OptionalInt.of(2));
        assertThat(production.differences(12, 3, 2)).isEmpty();
        assertThat(production.differences(4, 1, 1)).containsExactly("4 partitions (asked 12)",
                "replication factor 1 (asked 3)", "min.insync.replicas 1 (asked 2)");
        assertThat(new TopicSettings(12, (short) 3, OptionalInt.empty()).differences(12, 3, 1))
                .as("min.insync.replicas not asked for: not compared").isEmpty();
    }

    @Test
    void zeroMinInsyncReplicasMeansNotSet() {
        ConfigReader r = ConfigReader.of(Map.of("topics.replication.factor", "3", "topics.min.insync.replicas", "0"));
        TopicSettings s = TopicSettings.fromEnvironment(r);
        r.validate();
        assertThat(s.minInsyncReplicas()).isEmpty();
        assertThat(s.topicConfigs()).isEmpty();
    }

    @Test
    void refusesAReplicationFactorBelowOne() {
        for (String rf : new String[] {"0", "-1", "three"}) {
            ConfigReader r = ConfigReader.of(Map.of("topics.replication.factor", rf));
            TopicSettings.fromEnvironment(r);
            assertThatThrownBy(r::validate).as("replication factor %s", rf).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("topics.replication.factor=" + rf);
        }
    }

    @Test
    void refusesMoreInsyncReplicasThanCopies() {
        ConfigReader r = ConfigReader.of(Map.of("topics.replication.factor", "2", "topics.min.insync.replicas", "3"));
        TopicSettings.fromEnvironment(r);
        assertThatThrownBy(r::validate).isInstanceOf(ConfigException.class)
                .hasMessageContaining("topics.min.insync.replicas=3 exceeds topics.replication.factor=2");
        assertThatThrownBy(() -> new TopicSettings(4, (short) 2, OptionalInt.of(3)))
                .hasMessageContaining("min.insync.replicas 3 must be 1-2");
        assertThatThrownBy(() -> new TopicSettings(4, (short) 0, OptionalInt.empty()))
                .hasMessageContaining("replication factor 0");
    }

    @Test
    void reportsEveryProblemAtOnce() {
        ConfigReader r = ConfigReader.of(Map.of("topics.partitions", "0", "topics.replication.factor", "2",
                "topics.min.insync.replicas", "3"));
        TopicSettings.fromEnvironment(r);
        assertThatThrownBy(r::validate).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).hasSize(2))
                .hasMessageContaining("topics.partitions=0").hasMessageContaining("topics.min.insync.replicas=3");
    }

    @Test
    void anInvalidReplicationFactorIsNotComparedWithMinInsyncReplicas() {
        ConfigReader r = ConfigReader.of(Map.of("topics.replication.factor", "0", "topics.min.insync.replicas", "2"));
        TopicSettings.fromEnvironment(r);
        assertThatThrownBy(r::validate).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems())
                        .containsExactly("topics.replication.factor=0 is outside 1..32767"));
    }

    /**
     * The command refuses bad settings with status 2 before it contacts Kafka: the address answers nothing, so a
     * command that asked it would wait for its 20-s admin timeout.
     */
    @Test
    void createTopicsRefusesBadSettingsBeforeContactingKafka() {
        String[] outErr = new String[2];
        int status = createTopics(outErr, "--set", "topics.replication.factor=0", "--set", "topics.partitions=0");
        assertThat(status).isEqualTo(CreateTopicsCommand.INVALID_SETTINGS_EXIT);
        assertThat(outErr[1]).startsWith("create-topics not started: invalid configuration")
                .contains("topics.replication.factor=0 is outside 1..32767")
                .contains("topics.partitions=0 is outside 1..10000");
        assertThat(outErr[0]).isEmpty();

        status = createTopics(outErr, "--set", "topics.replication.factor=3", "--set", "topics.min.insync.replicas=4");
        assertThat(status).isEqualTo(CreateTopicsCommand.INVALID_SETTINGS_EXIT);
        assertThat(outErr[1]).contains("topics.min.insync.replicas=4 exceeds topics.replication.factor=3");
        assertThat(outErr[0]).isEmpty();
    }

    /** {@code create-topics} against an address where nothing listens; fills {@code outErr} with stdout, stderr. */
    private static int createTopics(String[] outErr, String... settings) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new HypnostreamMain());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        String[] argv = new String[settings.length + 3];
        argv[0] = "create-topics";
        argv[1] = "--bootstrap";
        argv[2] = "127.0.0.1:1";
        System.arraycopy(settings, 0, argv, 3, settings.length);
        int status = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> cli.execute(argv),
                "create-topics with bad settings still running: did it contact Kafka?");
        outErr[0] = out.toString();
        outErr[1] = err.toString();
        return status;
    }
}
