package org.hypnostream.stream.alarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.hypnostream.common.config.ConfigReader;
import org.hypnostream.common.event.AlertPriority;
import org.junit.jupiter.api.Test;

class EscalationConfigTest {
    @Test
    void defaultsEscalateAMediumFindingAfterTenMinutesAndATechnicalAlarmAfterFive() {
        EscalationConfig d = EscalationConfig.fromEnvironment(ConfigReader.of(Map.of()));
        assertThat(d).isEqualTo(EscalationConfig.defaults());
        assertThat(d.escalateAfter(true, AlertPriority.MEDIUM)).isEqualTo(Duration.ofMinutes(10));
        assertThat(d.escalateAfter(false, AlertPriority.LOW)).isEqualTo(Duration.ofMinutes(5));
        assertThat(d.reminderEvery()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void keysAreReadAndBadValuesReported() {
        ConfigReader r = ConfigReader.of(Map.of("alarm.escalate.medium-seconds", "120", "alarm.escalate.physiological-role",
                "admin", "alarm.escalate.ward", "ward-b"));
        EscalationConfig c = EscalationConfig.fromEnvironment(r);
        r.validate();
        assertThat(c.escalateMedium()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.targetRole(true)).isEqualTo("admin");
        assertThat(c.targetWard()).isEqualTo("ward-b");

        ConfigReader bad = ConfigReader.of(Map.of("alarm.escalate.technical-role", "janitor"));
        EscalationConfig.fromEnvironment(bad);
        assertThatThrownBy(bad::validate).hasMessageContaining("alarm.escalate.technical-role");
    }
}
