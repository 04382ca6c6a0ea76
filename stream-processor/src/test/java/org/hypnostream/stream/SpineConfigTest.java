package org.hypnostream.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.hypnostream.common.config.ConfigException;
import org.hypnostream.common.config.ConfigReader;
import org.junit.jupiter.api.Test;

class SpineConfigTest {

    @Test
    void defaultsMatchTheContract() {
        SpineConfig d = SpineConfig.fromEnvironment(ConfigReader.of(Map.of()));
        assertThat(d).isEqualTo(SpineConfig.defaults());
        assertThat(d.stagerRateHz()).isEqualTo(100.0);
        assertThat(d.epochSamples()).isEqualTo(3000);
        assertThat(d.legRateHz()).isEqualTo(200.0);
        assertThat(d.legHopSamples()).isEqualTo(2400);
        assertThat(d.emgSegmentSamples()).isEqualTo(23436);
        assertThat(d.emgHopSamples()).isEqualTo(23436);
        assertThat(d.stagerChannels().keySet()).containsExactly("Fpz-Cz", "Pz-Oz", "EOG");
        assertThat(d.stagerChannels().get("EOG")).startsWith("EOG horizontal");
    }

    @Test
    void readsEveryKey() {
        ConfigReader r = ConfigReader.of(Map.of("stream.stager.rate-hz", "128", "stream.stager.channels", "C4=EEG C4-M1|C4-M1",
                "stream.leg.hop-samples", "1200", "stream.emg.segment-samples", "4096", "stream.emg.hop-samples", "2048",
                "stream.clock-jump-tolerance-ms", "250"));
        SpineConfig c = SpineConfig.fromEnvironment(r);
        r.validate();
        assertThat(c.stagerRateHz()).isEqualTo(128.0);
        assertThat(c.stagerChannels()).containsExactly(Map.entry("C4", List.of("EEG C4-M1", "C4-M1")));
        assertThat(c.legHopSamples()).isEqualTo(1200);
        assertThat(c.emgSegmentSamples()).isEqualTo(4096);
        assertThat(c.emgHopSamples()).isEqualTo(2048);
        assertThat(c.clockJumpToleranceMicros()).isEqualTo(250_000L);
    }

    @Test
    void reportsEveryProblemAtOnce() {
        ConfigReader r = ConfigReader.of(Map.of("stream.leg.hop-samples", "0", "stream.leg.rate-hz", "fast",
                "stream.stager.channels", "nonsense", "stream.emg.hop-samples", "99999", "stream.emg.segment-samples", "100"));
        SpineConfig.fromEnvironment(r);
        assertThatThrownBy(r::validate).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).hasSizeGreaterThanOrEqualTo(3))
                .hasMessageContaining("stream.leg.hop-samples").hasMessageContaining("stream.leg.rate-hz")
                .hasMessageContaining("nonsense");
    }

    @Test
    void rejectsAnEpochRateWithoutWholeSamplesPer30Seconds() {
        assertThatThrownBy(() -> new SpineConfig(100.01, SpineConfig.DEFAULT_STAGER_CHANNELS, 200, 2400, 100, 100, 0.5, 0))
                .hasMessageContaining("100.01");
    }

    @Test
    void serviceSettingsTableListsTheKeys() {
        assertThat(StreamProcessorMain.describe()).contains("kafka.bootstrap.servers", "stream.state.dir",
                "stream.metrics.port", "stream.leg.hop-samples", "HYPNOSTREAM_STREAM_STAGER_CHANNELS");
    }
}
