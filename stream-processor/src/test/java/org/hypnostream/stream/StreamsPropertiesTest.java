package org.hypnostream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** The Streams client's properties: exactly-once from the Kafka client factory, tuning, then the operator's overrides. */
class StreamsPropertiesTest {

    @Test
    void exactlyOnceV2FromTheBeginningWithTuningAndOverridesLast() {
        StreamProcessorApp.Spec spec = new StreamProcessorApp.Spec("app-x", new StreamsBuilder().build());
        Properties p = StreamProcessorApp.properties("h:9092", Path.of("/state"), spec,
                Map.of("security.protocol", "SASL_SSL", "commit.interval.ms", "200"));
        assertThat(p).containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "app-x")
                .containsEntry(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "h:9092")
                .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2)
                .containsEntry(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest")
                .containsEntry(StreamsConfig.STATE_DIR_CONFIG, Path.of("/state", "app-x").toString())
                .containsEntry(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "1")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "200");
        assertThat(StreamProcessorApp.properties("h:9092", Path.of("/state"), spec, Map.of()))
                .containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.toString(StreamProcessorApp.COMMIT_INTERVAL_MS));
    }

    @Test
    void aTopologyOffTheStagePathCommitsLessOftenUnlessTheOperatorSaysOtherwise() {
        StreamProcessorApp.Spec plm = new StreamProcessorApp.Spec("app-y", new StreamsBuilder().build(), StreamProcessorApp.offStagePath());
        assertThat(StreamProcessorApp.properties("h:9092", Path.of("/state"), plm, Map.of()))
                .containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "250")
                .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        assertThat(StreamProcessorApp.properties("h:9092", Path.of("/state"), plm, Map.of("commit.interval.ms", "100")))
                .containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
        assertThat(new StreamProcessorApp.Spec("app-z", new StreamsBuilder().build()).tuning()).isEmpty();
    }
}
