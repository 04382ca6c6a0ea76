package org.hypnostream.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Predicate;
import org.hypnostream.common.event.AlarmNotice;
import org.hypnostream.common.event.Alert;
import org.hypnostream.common.event.AlertPriority;
import org.hypnostream.common.time.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Alarm actions (acknowledge, audio pause, alarm off/on: role-checked) and escalation routing, on a real server. */
@ExtendWith(VertxExtension.class)
class AlarmRoutesTest {
    private static final Instant AT = TestEvents.START.plusSeconds(1200);

    @TempDir
    Path dir;
    MemoryFeed feed;
    DashboardServer server;
    Http http;

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        feed = new MemoryFeed();
        feed.publish(TestEvents.bed("bed-1", "ward-a"), TestEvents.bed("bed-2", "ward-b"));
        Alert a1 = TestEvents.alert("bed-1", "a1", AlertPriority.MEDIUM, "PLMS_INDEX_HIGH");
        feed.publish(a1, notice(a1, AlarmNotice.REMINDER, 1, null, null), notice(a1, AlarmNotice.REMINDER, 2, null, null),
                notice(a1, AlarmNotice.ESCALATED, 1, "physician", null),
                notice(a1, "PAGED", 1, "physician", null)); // a kind from a later version: ignored
        Alert a2 = TestEvents.alert("bed-1", "a2", AlertPriority.HIGH, "SPO2_LOW");
        feed.publish(a2, notice(a2, AlarmNotice.ESCALATED, 1, "physician", "ward-b"));
        server = DashboardServer.start(vertx, TestConfigs.api(dir), feed, feed, new ManualClock(AT)).await();
        http = new Http(vertx, server.port());
    }

    @AfterEach
    void stop() {
        server.close().await();
    }

    private static AlarmNotice notice(Alert a, String kind, int n, String role, String ward) {
        return new AlarmNotice(a.alertId() + ":" + kind + ":" + n, a.alertId(), a.bedId(), a.code(), a.priority(), true, kind, n,
                role, ward, AT, "system:alarm-escalation", "test");
    }

    private JsonArray escalations(String token) {
        return http.call(HttpMethod.GET, "/api/escalations", token, null).json().getJsonArray("escalations");
    }

    private static boolean has(JsonArray a, String alertId) {
        return a.stream().map(JsonObject.class::cast).anyMatch(o -> o.getString("alertId").equals(alertId));
    }

    private JsonObject alarmOf(String token, String alertId) {
        JsonArray alerts = http.call(HttpMethod.GET, "/api/beds/bed-1/alerts", token, null).json().getJsonArray("alerts");
        return alerts.stream().map(JsonObject.class::cast).filter(o -> o.getString("alertId").equals(alertId)).findFirst()
                .orElseThrow().getJsonObject("alarm");
    }

    /** Polls until the alert's status satisfies {@code p} (the action goes through the feed to the ward state). */
    private JsonObject awaitAlarm(String token, String alertId, Predicate<JsonObject> p) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        JsonObject s = alarmOf(token, alertId);
        while (!p.test(s)) {
            assertThat(System.nanoTime()).as("alarm status of %s: %s", alertId, s).isLessThan(deadline);
            synchronized (this) {
                wait(20);
            }
            s = alarmOf(token, alertId);
        }
        return s;
    }

    @Test
    void reminderAndEscalationStateIsShownAndEscalationsAreRoutedByRoleAndWard() {
        String nurse = http.login("nurse", TestUsers.PASSWORD);
        JsonObject s = alarmOf(nurse, "a1");
        assertThat(s.getInteger("reminders")).isEqualTo(2);
        assertThat(s.getBoolean("escalated")).isTrue();
        assertThat(s.getString("escalatedTo")).isEqualTo("physician");
        assertThat(s.getBoolean("alarmOff")).isFalse();
        JsonArray notices = http.call(HttpMethod.GET, "/api/beds/bed-1/night", nurse, null).json().getJsonArray("notices");
        assertThat(notices).as("the unknown kind is not shown").hasSize(4);

        assertThat(has(escalations(http.login("doc", TestUsers.PASSWORD)), "a1")).as("the physician of ward-a").isTrue();
        assertThat(escalations(nurse)).as("not the nurse's").isEmpty();
        assertThat(escalations(http.login("tech", TestUsers.PASSWORD))).as("not the technologist's").isEmpty();
        JsonArray otherWard = escalations(http.login("other", TestUsers.PASSWORD));
        assertThat(otherWard).extracting(o -> ((JsonObject) o).getString("alertId")).as("ward-b was named by a2's escalation only")
                .containsExactly("a2");
        assertThat(escalations(http.login("admin", TestUsers.PASSWORD))).hasSize(2);
    }

    @Test
    void audioPauseAcknowledgeAndAlarmOffAreDistinctAndAlarmOffNeedsAnAuthorisedRole() throws Exception {
        String nurse = http.login("nurse", TestUsers.PASSWORD);
        String tech = http.login("tech", TestUsers.PASSWORD);
        String doc = http.login("doc", TestUsers.PASSWORD);
        String a1 = "/api/beds/bed-1/alerts/a1/";

        assertThat(http.call(HttpMethod.POST, a1 + "audio-pause", nurse, "{}").status()).as("a pause needs its length").isEqualTo(400);
        assertThat(http.call(HttpMethod.POST, a1 + "audio-pause", nurse, "{\"seconds\":120}").status()).isEqualTo(202);
        JsonObject s = awaitAlarm(nurse, "a1", x -> x.getString("audioPausedUntil") != null);
        assertThat(s.getString("audioPausedUntil")).isEqualTo(AT.plusSeconds(120).toString());
        assertThat(s.getString("acknowledgedBy")).as("a pause is not an acknowledgement").isNull();
        assertThat(has(escalations(doc), "a1")).as("still escalated while its audio is paused").isTrue();

        assertThat(http.call(HttpMethod.POST, a1 + "alarm-off", nurse, "{\"comment\":\"noisy\"}").status()).isEqualTo(403);
        assertThat(http.call(HttpMethod.POST, a1 + "alarm-on", nurse, "{}").status()).isEqualTo(403);
        assertThat(http.call(HttpMethod.POST, a1 + "alarm-off", tech, "{}").status()).as("alarm off needs a reason").isEqualTo(400);
        assertThat(http.call(HttpMethod.POST, a1 + "alarm-off", doc, "{\"comment\":\"known, treated\"}").status()).isEqualTo(202);
        s = awaitAlarm(nurse, "a1", x -> x.getBoolean("alarmOff"));
        assertThat(s.getString("alarmOffBy")).isEqualTo("doc");
        assertThat(has(escalations(doc), "a1")).as("an alarm that is off is not routed").isFalse();
        assertThat(http.call(HttpMethod.POST, a1 + "alarm-on", tech, "{}").status()).isEqualTo(202);
        awaitAlarm(nurse, "a1", x -> !x.getBoolean("alarmOff"));
        assertThat(has(escalations(doc), "a1")).isTrue();

        assertThat(http.call(HttpMethod.POST, a1 + "acknowledge", doc, "{}").status()).isEqualTo(202);
        assertThat(awaitAlarm(nurse, "a1", x -> x.getString("acknowledgedBy") != null).getString("acknowledgedBy")).isEqualTo("doc");
        assertThat(has(escalations(doc), "a1")).as("acknowledged: no longer routed").isFalse();
        assertThat(feed.actions()).extracting(a -> a.action() + " " + a.user())
                .containsExactly("SILENCE nurse", "ALARM_OFF doc", "ALARM_ON tech", "ACKNOWLEDGE doc");
        JsonArray audit = http.call(HttpMethod.GET, "/api/beds/bed-1/alerts", nurse, null).json().getJsonArray("actions");
        assertThat(audit).hasSize(4);
    }
}
