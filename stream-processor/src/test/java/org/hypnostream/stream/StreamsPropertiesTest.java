package org.hypnostream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.hypnostream.common.wire.EmgSegment;
import org.hypnostream.common.wire.QualityFlag;
import org.hypnostream.common.topic.Topics;
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

    @Test
    void eachApplicationSizesItsOwnBatchesBufferAndCacheAndTheOperatorStillWins() {
        Properties spine = StreamProcessorApp.properties("h:9092", Path.of("/state"),
                StreamProcessorApp.spine(SpineConfig.defaults(), new SimpleMeterRegistry()), Map.of());
        assertThat(spine).containsEntry(StreamsConfig.producerPrefix("batch.size"), "131072")
                .containsEntry(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, "2097152")
                .doesNotContainKey(StreamsConfig.producerPrefix("buffer.memory"))
                .containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "50");

        StreamProcessorApp.Spec plm = new StreamProcessorApp.Spec("app-y", new StreamsBuilder().build(), StreamProcessorApp.offStagePath());
        assertThat(StreamProcessorApp.properties("h:9092", Path.of("/state"), plm, Map.of()))
                .containsEntry(StreamsConfig.producerPrefix("batch.size"), "32768")
                .containsEntry(StreamsConfig.producerPrefix("buffer.memory"), "4194304")
                .containsEntry(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, "0");
        assertThat(StreamProcessorApp.properties("h:9092", Path.of("/state"), plm,
                Map.of("producer.batch.size", "65536", "statestore.cache.max.bytes", "1024")))
                .containsEntry(StreamsConfig.producerPrefix("batch.size"), "65536")
                .containsEntry(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, "1024");

        // a Spec without tuning gets Kafka's own defaults, not the spine's sizes
        assertThat(StreamProcessorApp.properties("h:9092", Path.of("/state"),
                new StreamProcessorApp.Spec("app-z", new StreamsBuilder().build()), Map.of()))
                .doesNotContainKey(StreamsConfig.producerPrefix("batch.size"))
                .doesNotContainKey(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG);
    }

    @Test
    void theSpinesLargestRecordFitsOneBatch() {
        // a needle-EMG segment of the default length is the largest window the spine writes (epochs ~36 KB, leg windows ~38 KB)
        SpineConfig c = SpineConfig.defaults();
        EmgSegment segment = new EmgSegment("bed-with-a-long-id-0001", "N2001A01BB01", 1_000_000L, 1_765_000_000_000_000L,
                23437.5, new float[c.emgSegmentSamples()], Set.of(QualityFlag.values()), true, 1_765_000_000_000_000L);
        byte[] value = Topics.EMG_SEGMENTS.valueSerde().serializer().serialize(Topics.EMG_SEGMENTS.name(), segment);
        // the record's key, headers and batch overhead are well under 1 KiB
        assertThat(value.length + 1024).isLessThanOrEqualTo(StreamProcessorApp.PRODUCER_BATCH_BYTES);
        assertThat(value.length).as("a smaller batch would not hold it").isGreaterThan(StreamProcessorApp.PRODUCER_BATCH_BYTES / 2);
    }

    @Test
    void theSizesAreOnesKafkaAccepts() {
        for (StreamProcessorApp.Spec spec : java.util.List.of(
                StreamProcessorApp.spine(SpineConfig.defaults(), new SimpleMeterRegistry()),
                new StreamProcessorApp.Spec("app-y", new StreamsBuilder().build(), StreamProcessorApp.offStagePath()))) {
            StreamsConfig config = new StreamsConfig(StreamProcessorApp.properties("h:9092", Path.of("/state"), spec, Map.of()));
            Map<String, Object> producer = config.getProducerConfigs("client-1");
            assertThat(Integer.parseInt(producer.get("batch.size").toString()))
                    .isEqualTo(spec.applicationId().equals(StreamProcessorApp.SPINE_APPLICATION_ID)
                            ? StreamProcessorApp.PRODUCER_BATCH_BYTES : StreamProcessorApp.OFF_STAGE_PATH_BATCH_BYTES);
            assertThat(config.getLong(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG))
                    .isEqualTo(spec.applicationId().equals(StreamProcessorApp.SPINE_APPLICATION_ID)
                            ? StreamProcessorApp.SPINE_CACHE_BYTES : 0L);
        }
    }
}
