package org.hypnostream.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.hypnostream.broker.EmbeddedKafka;
import org.hypnostream.common.topic.Topic;
import org.hypnostream.common.topic.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hypnostream create-topics} with {@code topics.replication.factor} and {@code topics.min.insync.replicas}
 * against a real single-node KRaft broker: replication factor 2 is refused by the broker (one node) with status 1 and
 * the cause named, in bounded time, creating nothing; replication factor 1 with min.insync.replicas 1 creates every
 * topic with one replica per partition and min.insync.replicas=1 set on the topic itself (not the broker default);
 * a rerun asking for more partitions and replicas changes nothing and names each topic that differs.
 */
class CreateTopicsReplicationIT {
    /** Far above the command's own bound (a 20-s admin timeout): reaching it means the command hangs. */

    @TempDir
    Path dir;

    @Test
    void createsTopicsWithTheReplicationSettingsAndRefusesMoreReplicasThanBrokers() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("broker"), 0, 0, Map.of())) {
            String bootstrap = kafka.bootstrapServers();
            List<String> names = Topics.all().stream().map(Topic::name).toList();

            long t0 = System.nanoTime();
            CreateTopicsRun tooMany = CreateTopicsRun.of("--bootstrap", bootstrap, "--set", "topics.partitions=2",
                    "--set", "topics.replication.factor=2", "--set", "topics.min.insync.replicas=2");
            long refusedMs = (System.nanoTime() - t0) / 1_000_000;
            Set<String> afterRefusal = topicNames(kafka);
            CreateTopicsRun created = CreateTopicsRun.of("--bootstrap", bootstrap, "--set", "topics.partitions=2",
                    "--set", "topics.replication.factor=1", "--set", "topics.min.insync.replicas=1");

            // a rerun asking for more leaves the existing topics as they are and says how they differ
            CreateTopicsRun rerun = CreateTopicsRun.of("--bootstrap", bootstrap, "--set", "topics.partitions=4",
                    "--set", "topics.replication.factor=2", "--set", "topics.min.insync.replicas=2");

            Map<String, TopicDescription> described;
            Map<ConfigResource, Config> configs;
            try (Admin admin = kafka.admin()) {
                described = admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
                configs = admin.describeConfigs(names.stream()
                        .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList()).all().get(30, TimeUnit.SECONDS);
            }
            List<String> replicaCounts = new ArrayList<>();
            List<String> minIsr = new ArrayList<>();
            for (String n : names) {
                described.get(n).partitions().forEach(p -> replicaCounts.add(n + "/" + p.partition() + "="
                        + p.replicas().size()));
                ConfigEntry e = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, n))
                        .get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
                minIsr.add(n + "=" + e.value() + "(" + e.source() + ")");
            }

            System.out.printf("create-topics replication: rf=2 on 1 broker status=%d in %d ms (%s), topics after=%d;"
                    + " rf=1 min.isr=1 status=%d (%s); partitions=%d all with 1 replica=%b; min.insync.replicas"
                    + " set on the topic=%d of %d%n", tooMany.status(), refusedMs, tooMany.err().strip(),
                    afterRefusal.size(), created.status(), created.out().strip(), replicaCounts.size(),
                    replicaCounts.stream().allMatch(s -> s.endsWith("=1")),
                    minIsr.stream().filter(s -> s.endsWith("=1(DYNAMIC_TOPIC_CONFIG)")).count(), names.size());
            assertThat(tooMany.status()).as("exit status with replication factor 2 on one broker").isEqualTo(1);
            assertThat(tooMany.err()).as("reason with replication factor 2 on one broker")
                    .contains("create-topics failed on " + bootstrap)
                    .contains("InvalidReplicationFactorException")
                    .contains("topics.replication.factor=2 needs at least that many brokers");
            assertThat(afterRefusal).as("topics after the refused run").isEmpty();
            assertThat(created.status()).as("exit status with replication factor 1; stderr: %s", created.err()).isZero();
            assertThat(created.out()).contains("topics ready on " + bootstrap)
                    .contains("replication factor 1, min.insync.replicas 1");
            System.out.printf("create-topics rerun over existing topics: status=%d %s%n", rerun.status(),
                    rerun.err().strip().substring(0, Math.min(400, rerun.err().strip().length())) + " ...");
            assertThat(rerun.status()).as("rerun over existing topics; stderr: %s", rerun.err()).isZero();
            assertThat(rerun.err()).contains(names.size() + " existing topics differ from the settings and were left as"
                    + " they are").contains("samples.v1: 2 partitions (asked 4), replication factor 1 (asked 2),"
                    + " min.insync.replicas 1 (asked 2)");
            assertThat(described).containsOnlyKeys(names);
            assertThat(replicaCounts).hasSize(2 * names.size()).allMatch(s -> s.endsWith("=1"));
            // the broker's own default is 1 too: the source tells that the topic itself carries the setting
            assertThat(minIsr).as("min.insync.replicas of each topic")
                    .allMatch(s -> s.endsWith("=1(DYNAMIC_TOPIC_CONFIG)"));
        }
    }

    private static Set<String> topicNames(EmbeddedKafka kafka) throws Exception {
        try (Admin admin = kafka.admin()) {
            return admin.listTopics().names().get(30, TimeUnit.SECONDS);
        }
    }
}
