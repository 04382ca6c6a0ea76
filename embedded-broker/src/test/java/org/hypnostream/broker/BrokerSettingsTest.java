package org.hypnostream.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The broker configuration, listener set-up, replication sizing and port picking, without a broker. */
class BrokerSettingsTest {
    private static final Path DIR = Path.of("target", "no-broker");

    @Test
    void aSingleNodeIsItsOwnQuorumWithReplicationOneAndOverridesWin() {
        BrokerNode node = BrokerNode.single(DIR, 19092, 19093);
        Map<String, Object> p = BrokerSettings.of(node, null, Map.of("num.partitions", "4"));

        assertThat(p).containsEntry("node.id", "1").containsEntry("controller.quorum.voters", "1@127.0.0.1:19093")
                .containsEntry("listeners", "PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093")
                .containsEntry("advertised.listeners", "PLAINTEXT://127.0.0.1:19092")
                .containsEntry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT")
                .containsEntry("transaction.state.log.min.isr", "1").containsEntry("min.insync.replicas", "1")
                .containsEntry("log.dirs", node.logDir().toString()).containsEntry("num.partitions", "4")
                .doesNotContainKey("authorizer.class.name");
        assertThat(node.logDir().isAbsolute()).isTrue();
        assertThat(node.logDir().endsWith(Path.of("no-broker", "kraft-logs"))).isTrue();
    }

    @Test
    void aClusterNodeMustBeAmongItsVoters() {
        assertThatThrownBy(() -> new BrokerNode(DIR, 2, "cid", "1@127.0.0.1:1,3@127.0.0.1:3", 5, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not among the voters");
        BrokerNode node = new BrokerNode(DIR, 2, "cid", "1@127.0.0.1:1,2@127.0.0.1:2", 5, 2);
        assertThat(BrokerSettings.of(node, null, Map.of())).containsEntry("node.id", "2")
                .containsEntry("controller.quorum.voters", "1@127.0.0.1:1,2@127.0.0.1:2");
    }

    @Test
    void saslSslIsOneListenerNamedByItsProtocolWithAclsAndPlainUsersInItsJaasLine() {
        EmbeddedKafka.Tls tls = new EmbeddedKafka.Tls(Path.of("server.p12"), "secret", Path.of("clients.p12"));
        EmbeddedKafka.Sasl sasl = new EmbeddedKafka.Sasl(Map.of("bob", "pw-b", "alice", "pw-a"), true);
        SecureListener secure = new SecureListener(tls, sasl, 19094);
        Map<String, Object> p = BrokerSettings.of(BrokerNode.single(DIR, 19092, 19093), secure, Map.of());

        assertThat(secure.protocol()).isEqualTo("SASL_SSL");
        assertThat(p).containsEntry("advertised.listeners", "PLAINTEXT://127.0.0.1:19092,SASL_SSL://127.0.0.1:19094")
                .containsEntry("listener.security.protocol.map",
                        "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL")
                .containsEntry("listener.name.sasl_ssl.ssl.client.auth", "required")
                .containsEntry("listener.name.sasl_ssl.ssl.truststore.location", Path.of("clients.p12").toAbsolutePath().toString())
                .containsEntry("listener.name.sasl_ssl.sasl.enabled.mechanisms", "PLAIN")
                .containsEntry("listener.name.sasl_ssl.plain.sasl.jaas.config",
                        "org.apache.kafka.common.security.plain.PlainLoginModule required"
                                + " user_alice=\"pw-a\" user_bob=\"pw-b\";")
                .containsEntry("allow.everyone.if.no.acl.found", "false").containsEntry("super.users", "User:ANONYMOUS");
    }

    @Test
    void tlsAloneIsAnSslListenerWithoutClientCertificatesAndScramKeepsPasswordsOutOfTheJaasLine() {
        SecureListener ssl = new SecureListener(new EmbeddedKafka.Tls(Path.of("server.p12"), "secret"), null, 19094);
        assertThat(ssl.protocol()).isEqualTo("SSL");
        assertThat(ssl.settings()).containsEntry("listener.name.ssl.ssl.client.auth", "none")
                .doesNotContainKey("listener.name.ssl.ssl.truststore.location").doesNotContainKey("authorizer.class.name");

        EmbeddedKafka.Sasl scram = new EmbeddedKafka.Sasl(Map.of("alice", "pw-a"), false, "SCRAM-SHA-512");
        SecureListener sasl = new SecureListener(null, scram, 19094);
        assertThat(sasl.protocol()).isEqualTo("SASL_PLAINTEXT");
        assertThat(sasl.scram()).isTrue();
        assertThat(sasl.settings()).containsEntry("listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;")
                .doesNotContainKey("authorizer.class.name");
        assertThat(sasl.settings().toString()).doesNotContain("pw-a");
        assertThatThrownBy(() -> new SecureListener(null, null, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void clusterReplicationIsSizedForProduction() {
        assertThat(ClusterReplication.forSize(1)).isEqualTo(new ClusterReplication(1, 1));
        assertThat(ClusterReplication.forSize(5)).isEqualTo(new ClusterReplication(3, 2));
        ClusterReplication three = ClusterReplication.forSize(3);
        assertThat(three.brokerSettings()).containsEntry("default.replication.factor", "3")
                .containsEntry("transaction.state.log.min.isr", "2").containsEntry("unclean.leader.election.enable", "false");
        assertThat(three.topicSettings()).isEqualTo(Map.of("min.insync.replicas", "2"));
        assertThatThrownBy(() -> ClusterReplication.forSize(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void freePortsAreDistinct() {
        Set<Integer> taken = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            int p = BrokerPorts.freeExcept(taken);
            assertThat(p).isBetween(1, 65535);
        }
        assertThat(taken).hasSize(6);
    }
}
