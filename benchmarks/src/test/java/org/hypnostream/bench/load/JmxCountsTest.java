package org.hypnostream.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.hypnostream.common.event.JsonCodec;
import org.junit.jupiter.api.Test;

/** Differences of two snapshots and their rates, without a broker. */
class JmxCountsTest {

    @Test
    void aSpanIsTheDifferenceAndFetchIsNotCountedTwiceInTheTotal() {
        JmxCounts before = new JmxCounts(Map.of("Produce", 100L, "Fetch", 40L, "FetchConsumer", 40L), Map.of("Produce", 50L),
                Map.of("samples.v1", 1_000L), Map.of("hypnostream-spine", 7L));
        JmxCounts after = new JmxCounts(Map.of("Produce", 300L, "Fetch", 80L, "FetchConsumer", 80L, "EndTxn", 20L),
                Map.of("Produce", 250L), Map.of("samples.v1", 1_500L, "eeg-epochs.v1", 10L), Map.of("hypnostream-spine", 27L));

        JmxCounts span = after.since(before);
        assertThat(span.requests()).containsExactlyInAnyOrderEntriesOf(
                Map.of("Produce", 200L, "Fetch", 40L, "FetchConsumer", 40L, "EndTxn", 20L));

        ObjectNode out = JsonCodec.mapper().createObjectNode();
        span.addRatesTo(out, 10);
        assertThat(out.get("broker_requests_per_s").get("total").asDouble()).isEqualTo(26.0); // 200 + 40 + 20 over 10 s
        assertThat(out.get("broker_requests_per_s").get("Produce").asDouble()).isEqualTo(20.0);
        assertThat(out.get("broker_handler_ms_per_s").get("Produce").asDouble()).isEqualTo(20.0);
        assertThat(out.get("records_per_s").get("total").asDouble()).isEqualTo(51.0);
        assertThat(out.get("streams_commits_per_s").get("hypnostream-spine").asDouble()).isEqualTo(2.0);
        // largest first, after the total
        assertThat(List.of(out.get("records_per_s").fieldNames().next())).containsExactly("total");
        var names = out.get("records_per_s").fieldNames();
        names.next();
        assertThat(names.next()).isEqualTo("samples.v1");
    }

    @Test
    void withoutABrokerInThisJvmThereIsNothingToCount() {
        JmxCounts now = JmxCounts.now();
        assertThat(now.requests()).isEmpty();
        assertThat(now.records()).isEmpty();
        assertThat(now.commits()).isEmpty();
    }
}
