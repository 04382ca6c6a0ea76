package org.hypnostream.stream.plm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.hypnostream.common.config.ConfigException;
import org.hypnostream.common.config.ConfigReader;
import org.hypnostream.common.event.AlertPriority;
import org.junit.jupiter.api.Test;

class PlmConfigTest {
    @Test
    void defaultsAndOverrides() {
        ConfigReader r = ConfigReader.of(Map.of());
        assertThat(PlmConfig.fromEnvironment(r)).isEqualTo(PlmConfig.defaults());
        r.validate();
        ConfigReader o = ConfigReader.of(Map.of("plm.rule-set", "AASM", "plm.alarm.plms-index", "5",
                "plm.alarm.priority", "MEDIUM"));
        PlmConfig c = PlmConfig.fromEnvironment(o);
        o.validate();
        assertThat(c.ruleSet()).isEqualTo(PlmRuleSet.AASM);
        assertThat(c.alarmPlmsIndex()).isEqualTo(5.0);
        assertThat(c.alarmPriority()).isEqualTo(AlertPriority.MEDIUM);
        assertThat(r.describe()).contains("plm.alarm.cap-per-hour").contains("HYPNOSTREAM_PLM_STALL_SECONDS");
    }

    @Test
    void everyProblemIsReported() {
        ConfigReader r = ConfigReader.of(Map.of("plm.rule-set", "ICSD", "plm.alarm.priority", "HIGH",
                "plm.alarm.window-minutes", "20", "plm.alarm.min-sleep-minutes", "30"));
        PlmConfig.fromEnvironment(r);
        assertThatThrownBy(r::validate).isInstanceOf(ConfigException.class)
                .hasMessageContaining("plm.rule-set=ICSD").hasMessageContaining("plm.alarm.priority=HIGH")
                .hasMessageContaining("plm.alarm.min-sleep-minutes=30");
    }
}
