package org.hypnostream.stream.alarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import org.hypnostream.common.event.AlertPriority;
import org.hypnostream.common.event.JsonCodec;
import org.junit.jupiter.api.Test;

class EscalationStateCodecTest {
    static BedEscalations full() {
        Instant t = Instant.parse("2026-03-01T23:00:00.123456789Z");
        BedEscalations s = new BedEscalations();
        s.alerts.put("b", new TrackedAlarm("b", "PLMS_INDEX_HIGH", AlertPriority.MEDIUM, true, t, t.plusSeconds(120), 3,
                t.plusSeconds(60), "nurse.jones", t.plusSeconds(600), t.minusSeconds(1)));
        s.alerts.put("a", new TrackedAlarm("a", null, null, false, null, null, 0, null, null, null, t));
        s.alarmOff.put("LEG_CHANNEL_FLAT", "dr.who at " + t);
        return s;
    }

    @Test
    void everyFieldSurvivesTheBinaryFormatAndTheCodecKnowsEveryField() {
        byte[] b = EscalationStateCodec.encode(full());
        assertThat(b[0]).isEqualTo((byte) EscalationStateCodec.VERSION);
        assertThat(JsonCodec.toJson(EscalationStateCodec.decode(b))).isEqualTo(JsonCodec.toJson(full()));
        // a field added to these must be added to EscalationStateCodec
        assertThat(Arrays.stream(TrackedAlarm.class.getRecordComponents()).map(c -> c.getName())).containsExactly(
                "alertId", "code", "priority", "physiological", "since", "lastAnnounced", "reminders", "pausedUntil",
                "acknowledgedBy", "escalatedAt", "firstSeen");
        assertThat(Arrays.stream(BedEscalations.class.getDeclaredFields()).map(f -> f.getName()))
                .containsExactly("alerts", "alarmOff");
    }

    @Test
    void mainsJsonIsReadAndGivesTheSameStateThroughTheBinaryFormat() throws IOException {
        String fixture;
        try (InputStream in = getClass().getResourceAsStream("/plm-state-json/escalation-after-30-records.txt")) {
            fixture = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
        int n = 0;
        for (String line : fixture.split("\n")) {
            if (line.startsWith("#")) {
                continue;
            }
            byte[] json = Base64.getDecoder().decode(line.split(" ")[2]);
            BedEscalations s = EscalationStateCodec.decode(json);
            assertThat(s.alerts).isNotEmpty();
            BedEscalations back = EscalationStateCodec.decode(EscalationStateCodec.encode(s));
            assertThat(JsonCodec.toJson(back)).isEqualTo(new String(json, StandardCharsets.UTF_8));
            assertThat(back.alerts.getClass()).isEqualTo(s.alerts.getClass());
            n++;
        }
        assertThat(n).isEqualTo(2);
    }

    @Test
    void truncatedLongerUnknownOrGarbageValuesAreRefusedWithAClearError() {
        byte[] good = EscalationStateCodec.encode(full());
        for (int n = 0; n < good.length; n++) {
            byte[] cut = Arrays.copyOf(good, n);
            assertThatThrownBy(() -> EscalationStateCodec.decode(cut)).as("%d bytes", n)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alarm-escalation-state value");
        }
        assertThatThrownBy(() -> EscalationStateCodec.decode(Arrays.copyOf(good, good.length + 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bytes left over");
        byte[] v9 = good.clone();
        v9[0] = 9;
        assertThatThrownBy(() -> EscalationStateCodec.decode(v9)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown state format version 9");
        Random r = new Random(5);
        for (int i = 0; i < 2000; i++) {
            byte[] g = new byte[2 + r.nextInt(120)];
            r.nextBytes(g);
            g[0] = (byte) EscalationStateCodec.VERSION;
            g[1] = 'E';
            try {
                EscalationStateCodec.decode(g);
            } catch (IllegalArgumentException expected) {
                // refused with a message; any other exception fails the test
            }
        }
    }

    @Test
    void aStateThatCannotBeReadIsSkippedByTheReminderCheckWhichGoesOnForTheOtherBeds(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path dir) {
        java.util.Properties p = new java.util.Properties();
        p.put(org.apache.kafka.streams.StreamsConfig.APPLICATION_ID_CONFIG, "escalation-test");
        p.put(org.apache.kafka.streams.StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
        p.put(org.apache.kafka.streams.StreamsConfig.STATE_DIR_CONFIG, dir.toString());
        Instant t0 = Instant.parse("2026-03-01T23:00:00Z");
        org.hypnostream.common.time.ManualClock clock = new org.hypnostream.common.time.ManualClock(t0);
        try (var d = new org.apache.kafka.streams.TopologyTestDriver(AlarmEscalationTopology.build(EscalationConfig.defaults(),
                clock), p, t0)) {
            org.hypnostream.stream.RawStores.load(d, AlarmEscalationTopology.STORE + " bed-0 "
                    + Base64.getEncoder().encodeToString(new byte[] {1, 'E', 5}));
            var a = new org.hypnostream.common.event.Alert("bed-1:a", "bed-1", false, "LEG_CHANNEL_FLAT", AlertPriority.LOW,
                    org.hypnostream.common.event.AlertState.ACTIVE, "flat", t0, t0, null, null);
            d.createInputTopic(org.hypnostream.common.topic.Topics.ALERTS.name(),
                    new org.apache.kafka.common.serialization.StringSerializer(),
                    new org.apache.kafka.common.serialization.ByteArraySerializer()).pipeInput("bed-1",
                    org.hypnostream.common.topic.Topics.ALERTS.valueSerde().serializer().serialize("", a));
            clock.advance(java.time.Duration.ofSeconds(125));
            d.advanceWallClockTime(java.time.Duration.ofSeconds(125));
            var notices = d.createOutputTopic(org.hypnostream.common.topic.Topics.ALARM_NOTICES.name(),
                    new org.apache.kafka.common.serialization.StringDeserializer(),
                    org.hypnostream.common.topic.Topics.ALARM_NOTICES.valueSerde().deserializer()).readValuesToList();
            assertThat(notices).extracting(n -> n.bedId() + " " + n.kind()).containsExactly("bed-1 REMINDER");
        }
    }
}
