package org.hypnostream.common.topic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicProvisionerTest {

    @Test
    void compactedTopicsRollSegmentsAndEveryTopicTakesLargeRecords() {
        Map<String, String> beds = TopicProvisioner.configs(Topics.BEDS, Map.of("min.insync.replicas", "2"));
        assertThat(beds).containsEntry("cleanup.policy", "compact").containsEntry("segment.ms", "600000")
                .containsEntry("min.cleanable.dirty.ratio", "0.1").containsEntry("min.insync.replicas", "2")
                .containsEntry("max.message.bytes", Integer.toString(16 * 1024 * 1024));
        Map<String, String> samples = TopicProvisioner.configs(Topics.SAMPLES, Map.of());
        assertThat(samples).doesNotContainKeys("cleanup.policy", "segment.ms")
                .containsEntry("max.message.bytes", Integer.toString(16 * 1024 * 1024));
    }
}
