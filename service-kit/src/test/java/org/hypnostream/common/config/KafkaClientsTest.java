package org.hypnostream.common.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaClientsTest {

    @Test
    void settingsPassThroughAndRolesWinOverThem() {
        Map<String, Object> p = KafkaClients.ordered(KafkaClients.client("h:9092",
                Map.of("security.protocol", "SASL_SSL", "acks", "1", "max.in.flight.requests.per.connection", "5")));
        assertThat(p).containsEntry("bootstrap.servers", "h:9092").containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("acks", "all").containsEntry("max.in.flight.requests.per.connection", "1")
                .containsEntry("enable.idempotence", "true");
        Map<String, Object> c = KafkaClients.committedReader(KafkaClients.client("h:9092",
                Map.of("isolation.level", "read_uncommitted")), "reader-1");
        assertThat(c).containsEntry("isolation.level", "read_committed").containsEntry("enable.auto.commit", "false")
                .containsEntry("auto.offset.reset", "earliest").containsEntry("client.id", "reader-1")
                .doesNotContainKey("group.id");
    }
}
