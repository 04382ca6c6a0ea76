package org.hypnostream.common.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.hypnostream.common.topic.Topics;
import org.junit.jupiter.api.Test;

/** The alarm wire contract (ADR 0013): old alert actions still read, new records round-trip, readers tolerate more. */
class AlarmWireTest {
    private static <T> T read(org.hypnostream.common.topic.Topic<String, T> t, String json) {
        return t.valueSerde().deserializer().deserialize(t.name(), json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anAlertActionWrittenBeforeAlarmOffExistedReadsWithItsMeaning() {
        AlertAction old = read(Topics.ALERT_ACTIONS, "{\"alertId\":\"a1\",\"bedId\":\"bed-1\",\"action\":\"SILENCE\",\"user\":\"nurse\","
                + "\"at\":\"2026-03-01T23:00:00Z\",\"silenceSeconds\":120,\"comment\":null}");
        assertThat(old.action()).isEqualTo(AlertAction.AUDIO_PAUSED);
        assertThat(old.silenceSeconds()).isEqualTo(120);
        AlertAction ack = read(Topics.ALERT_ACTIONS, "{\"alertId\":\"a1\",\"bedId\":\"bed-1\",\"action\":\"ACKNOWLEDGE\",\"user\":\"nurse\","
                + "\"at\":\"2026-03-01T23:00:00Z\",\"silenceSeconds\":0}");
        assertThat(ack.action()).isEqualTo(AlertAction.ACKNOWLEDGE);
    }

    @Test
    void alarmOffAndOnRoundTripAndAnUnknownActionIsRefused() {
        AlertAction off = new AlertAction("a1", "bed-1", AlertAction.ALARM_OFF, "dr.house", Instant.parse("2026-03-01T23:00:00Z"), 0,
                "known, treated");
        byte[] b = Topics.ALERT_ACTIONS.valueSerde().serializer().serialize(Topics.ALERT_ACTIONS.name(), off);
        assertThat(Topics.ALERT_ACTIONS.valueSerde().deserializer().deserialize(Topics.ALERT_ACTIONS.name(), b)).isEqualTo(off);
        assertThatThrownBy(() -> read(Topics.ALERT_ACTIONS, "{\"alertId\":\"a1\",\"bedId\":\"bed-1\",\"action\":\"SNOOZE\",\"user\":\"x\",\"silenceSeconds\":0}"))
                .hasMessageContaining("SNOOZE");
        assertThatThrownBy(() -> new AlertAction("a1", "bed-1", AlertAction.AUDIO_PAUSED, "x", null, 0, null))
                .hasMessageContaining("silence period");
    }

    @Test
    void aNoticeRoundTripsAndALaterVersionsKindOrFieldStillReads() {
        AlarmNotice n = new AlarmNotice("a1:ESCALATED:1", "a1", "bed-1", "PLMS_INDEX_HIGH", AlertPriority.MEDIUM, true,
                AlarmNotice.ESCALATED, 1, "physician", null, Instant.parse("2026-03-01T23:10:00Z"), "system:alarm-escalation", "10 min");
        byte[] b = Topics.ALARM_NOTICES.valueSerde().serializer().serialize(Topics.ALARM_NOTICES.name(), n);
        assertThat(Topics.ALARM_NOTICES.valueSerde().deserializer().deserialize(Topics.ALARM_NOTICES.name(), b)).isEqualTo(n);
        assertThat(n.known()).isTrue();

        AlarmNotice later = read(Topics.ALARM_NOTICES, "{\"noticeId\":\"a1:PAGED:1\",\"alertId\":\"a1\",\"bedId\":\"bed-1\","
                + "\"code\":\"X\",\"priority\":\"HIGH\",\"physiological\":true,\"kind\":\"PAGED\",\"number\":1,"
                + "\"at\":\"2026-03-01T23:10:00Z\",\"by\":\"system:pager\",\"pagerNumber\":\"4711\"}");
        assertThat(later.known()).as("read, but a kind this version does not act on").isFalse();
        assertThatThrownBy(() -> read(Topics.ALARM_NOTICES, "{\"noticeId\":\"n\",\"alertId\":\"a1\",\"bedId\":\"bed-1\","
                + "\"physiological\":false,\"kind\":\"REMINDER\",\"number\":0,\"at\":\"2026-03-01T23:10:00Z\",\"by\":\"x\"}")).hasMessageContaining("number");
    }

    @Test
    void theNoticeTopicIsInTheCatalogue() {
        assertThat(Topics.all()).contains(Topics.ALARM_NOTICES);
        assertThat(Topics.ALARM_NOTICES.name()).isEqualTo("alarm-notices.v1");
    }
}
