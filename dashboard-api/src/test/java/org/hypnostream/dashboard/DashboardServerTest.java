package org.hypnostream.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.hypnostream.common.event.AlertPriority;
import org.hypnostream.common.event.LegSide;
import org.hypnostream.common.time.ManualClock;
import org.hypnostream.dashboard.auth.Role;
import org.hypnostream.dashboard.eeg.EegFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** REST, auth and websocket behaviour of a real server on 127.0.0.1 with an in-memory topic log. */
@ExtendWith(VertxExtension.class)
class DashboardServerTest {
    @TempDir
    Path dir;
    Vertx vertx;
    MemoryFeed feed;
    ManualClock clock;
    DashboardConfig cfg;
    DashboardServer server;
    Http http;

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        this.vertx = vertx;
        feed = new MemoryFeed();
        clock = new ManualClock(TestEvents.START.plusSeconds(3600));
        cfg = TestConfigs.api(dir);
        feed.publish(TestEvents.bed("bed-1", "ward-a"), TestEvents.bed("bed-2", "ward-b"));
        for (long i = 0; i < 5; i++) {
            feed.publish(TestEvents.stage("bed-1", i), TestEvents.stage("bed-2", i));
        }
        feed.publish(TestEvents.stage("bed-9", 0)); // no BedInfo: admins only
        server = DashboardServer.start(vertx, cfg, feed, feed, clock).await();
        http = new Http(vertx, server.port());
    }

    @AfterEach
    void stop() {
        server.close().await();
    }

    private List<Long> epochs(JsonObject night) {
        List<Long> out = new ArrayList<>();
        night.getJsonArray("stages").forEach(s -> out.add(((JsonObject) s).getLong("i")));
        return out;
    }

    @Test
    void everyRestEndpointRefusesUnauthenticatedAndWrongWardAccess() {
        List<String[]> endpoints = List.of(
                new String[] {"GET", "/api/me"}, new String[] {"GET", "/api/beds"}, new String[] {"GET", "/api/alerts"},
                new String[] {"GET", "/api/beds/bed-1/night"}, new String[] {"GET", "/api/beds/bed-1/alerts"},
                new String[] {"GET", "/api/beds/bed-1/export.edf"}, new String[] {"POST", "/api/beds/bed-1/alerts/a1/acknowledge"},
                new String[] {"POST", "/api/beds/bed-1/alerts/a1/silence"}, new String[] {"POST", "/api/logout"});
        for (String[] e : endpoints) {
            Http.Resp r = http.call(HttpMethod.valueOf(e[0]), e[1], null, "{}");
            assertThat(r.status()).as(e[0] + " " + e[1] + " without token").isEqualTo(401);
            assertThat(r.body()).doesNotContain("bed-1\"");
            assertThat(http.call(HttpMethod.valueOf(e[0]), e[1], "x".repeat(43), "{}").status()).as(e[1] + " bad token").isEqualTo(401);
        }
        feed.publish(TestEvents.alert("bed-1", "a1", AlertPriority.HIGH, "PLMS_INDEX_HIGH"));
        String other = http.login("other", TestUsers.PASSWORD);
        for (String[] e : endpoints.subList(3, 8)) {
            Http.Resp r = http.call(HttpMethod.valueOf(e[0]), e[1], other, "{\"seconds\":60}");
            assertThat(r.status()).as(e[1] + " by a user of ward-b").isEqualTo(404);
            assertThat(r.body()).doesNotContain("Sleep stage").doesNotContain("stages");
        }
        JsonArray otherBeds = http.call(HttpMethod.GET, "/api/beds", other, null).json().getJsonArray("beds");
        assertThat(otherBeds.stream().map(b -> ((JsonObject) b).getString("bed"))).containsExactly("bed-2");
        assertThat(http.call(HttpMethod.GET, "/api/alerts", other, null).json().getJsonArray("alerts")).isEmpty();
        String nurse = http.login("nurse", TestUsers.PASSWORD);
        assertThat(http.call(HttpMethod.GET, "/api/beds", nurse, null).json().getJsonArray("beds").stream()
                .map(b -> ((JsonObject) b).getString("bed"))).containsExactly("bed-1");
        assertThat(http.call(HttpMethod.GET, "/api/beds/bed-9/night", nurse, null).status()).isEqualTo(404);
        String admin = http.login("admin", TestUsers.PASSWORD);
        assertThat(http.call(HttpMethod.GET, "/api/beds", admin, null).json().getJsonArray("beds").stream()
                .map(b -> ((JsonObject) b).getString("bed"))).containsExactlyInAnyOrder("bed-1", "bed-2", "bed-9");
        assertThat(epochs(http.call(HttpMethod.GET, "/api/beds/bed-1/night", nurse, null).json())).containsExactly(0L, 1L, 2L, 3L, 4L);

        // the study endpoints: 401 without a valid token, 403 for the wrong role (checked first: it reveals nothing of
        // the bed), 404 for a bed of another ward (as every bed route), and nothing written by any of them
        List<String[]> study = List.of(new String[] {"GET", "/api/beds/bed-1/statistics", "VIEW"},
                new String[] {"POST", "/api/beds/bed-1/study/admit", "ADMIT_END"},
                new String[] {"POST", "/api/beds/bed-1/study/lights-off", "LIGHTS"},
                new String[] {"POST", "/api/beds/bed-1/study/lights-on", "LIGHTS"},
                new String[] {"POST", "/api/beds/bed-1/study/end", "ADMIT_END"},
                new String[] {"POST", "/api/beds/bed-1/study/amend", "AMEND"},
                new String[] {"POST", "/api/beds/bed-1/events", "BEDSIDE_EVENT"},
                new String[] {"GET", "/api/beds/bed-1/review", "VIEW"},
                new String[] {"GET", "/api/beds/bed-1/review/doubt", "VIEW"},
                new String[] {"POST", "/api/beds/bed-1/review/restage", "REVIEW"},
                new String[] {"POST", "/api/beds/bed-1/review/legs", "REVIEW"},
                new String[] {"POST", "/api/beds/bed-1/review/legs/delete", "REVIEW"},
                new String[] {"POST", "/api/beds/bed-1/review/sign", "SIGN"},
                new String[] {"GET", "/api/beds/bed-1/report.html", "VIEW"},
                new String[] {"GET", "/api/beds/bed-1/report.pdf", "VIEW"},
                new String[] {"GET", "/api/beds/bed-1/fhir.json", "VIEW"});
        String tech = http.login("tech", TestUsers.PASSWORD);
        String doc = http.login("doc", TestUsers.PASSWORD);
        for (String[] e : study) {
            HttpMethod m = HttpMethod.valueOf(e[0]);
            assertThat(http.call(m, e[1], null, "{}").status()).as(e[1] + " without token").isEqualTo(401);
            assertThat(http.call(m, e[1], "z".repeat(43), "{}").status()).as(e[1] + " bad token").isEqualTo(401);
            Role.Permission p = Role.Permission.valueOf(e[2]);
            assertThat(http.call(m, e[1], other, "{}").status()).as(e[1] + " by a nurse of ward-b")
                    .isEqualTo(Role.NURSE.may(p) ? 404 : 403);
            Http.Resp byNurse = http.call(m, e[1], nurse, "{\"x\":1}");
            if (!Role.NURSE.may(p)) {
                assertThat(byNurse.status()).as(e[1] + " by a nurse").isEqualTo(403);
                assertThat(byNurse.json().getString("error")).startsWith("a nurse may not do this");
            }
            if (!Role.PHYSICIAN.may(p)) {
                assertThat(http.call(m, e[1], doc, "{}").status()).as(e[1] + " by a physician").isEqualTo(403);
            }
            if (!Role.TECHNOLOGIST.may(p)) {
                assertThat(http.call(m, e[1], tech, "{}").status()).as(e[1] + " by a technologist").isEqualTo(403);
            }
        }
        assertThat(http.call(HttpMethod.GET, "/api/beds/bed-1/statistics", nurse, null).status()).isEqualTo(200);
        assertThat(feed.written()).as("no refused request wrote anything").isEmpty();
        assertThat(http.call(HttpMethod.GET, "/api/me", doc, null).json().getString("role")).isEqualTo("physician");
    }

    @Test
    void signInRefusesWrongPasswordsAndTokensExpire() {
        assertThat(http.call(HttpMethod.POST, "/api/login", null, "{\"user\":\"nurse\",\"password\":\"wrong\"}").status()).isEqualTo(401);
        assertThat(http.call(HttpMethod.POST, "/api/login", null, "{\"user\":\"nobody\",\"password\":\"x\"}").status()).isEqualTo(401);
        assertThat(http.call(HttpMethod.POST, "/api/login", null, "not json").status()).isEqualTo(400);
        assertThat(http.call(HttpMethod.POST, "/api/login", null, "{\"user\":\"" + "n".repeat(5000) + "\"}").status()).isEqualTo(413);
        String t = http.login("nurse", TestUsers.PASSWORD);
        assertThat(http.call(HttpMethod.GET, "/api/me", t, null).json().getString("user")).isEqualTo("nurse");
        clock.advance(Duration.ofHours(13));
        assertThat(http.call(HttpMethod.GET, "/api/me", t, null).status()).isEqualTo(401);
        String t2 = http.login("nurse", TestUsers.PASSWORD);
        assertThat(http.call(HttpMethod.POST, "/api/logout", t2, null).status()).isEqualTo(204);
        assertThat(http.call(HttpMethod.GET, "/api/me", t2, null).status()).isEqualTo(401);
    }

    @Test
    void webSocketHandshakesAreRefusedWithoutTokenOrForAnotherWard() {
        int port = server.port();
        String nurse = http.login("nurse", TestUsers.PASSWORD);
        assertThat(WsClient.handshakeStatus(vertx, port, "ward=ward-a", null)).isEqualTo(401);
        assertThat(WsClient.handshakeStatus(vertx, port, "ward=ward-a", "y".repeat(43))).isEqualTo(401);
        assertThat(WsClient.handshakeStatus(vertx, port, "ward=ward-b", nurse)).isEqualTo(403);
        assertThat(WsClient.handshakeStatus(vertx, port, "ward=*", nurse)).isEqualTo(403);
        assertThat(WsClient.handshakeStatus(vertx, port, "bed=bed-2", nurse)).isEqualTo(404);
        assertThat(WsClient.handshakeStatus(vertx, port, "bed=bed-9", nurse)).isEqualTo(404);
        assertThat(WsClient.handshakeStatus(vertx, port, "ward=ward-a&bed=bed-1", nurse)).isEqualTo(400);
        assertThat(WsClient.handshakeStatus(vertx, port, "ward=ward-a", nurse)).isEqualTo(101);
        assertThat(WsClient.handshakeStatus(vertx, port, "bed=bed-1", nurse)).isEqualTo(101);
    }

    @Test
    void reconnectingClientGetsTheWholeNightThenLiveUpdatesNothingMissingOrDoubled() throws Exception {
        String nurse = http.login("nurse", TestUsers.PASSWORD);
        WsClient c1 = WsClient.connect(vertx, server.port(), "ward=ward-a", nurse);
        JsonObject snap1 = c1.next();
        assertThat(snap1.getString("type")).isEqualTo("snapshot");
        assertThat(snap1.getJsonArray("beds")).hasSize(1);
        JsonObject night1 = snap1.getJsonArray("beds").getJsonObject(0);
        assertThat(night1.getString("bed")).isEqualTo("bed-1");
        assertThat(epochs(night1)).containsExactly(0L, 1L, 2L, 3L, 4L);
        long seq = night1.getLong("seq");
        List<Long> seen = new ArrayList<>(epochs(night1));
        for (long i = 5; i < 10; i++) {
            feed.publish(TestEvents.stage("bed-2", i), TestEvents.stage("bed-1", i), TestEvents.stage("bed-1", i - 3)); // other ward + re-delivery
        }
        for (long i = 5; i < 10; i++) {
            JsonObject u = c1.next();
            assertThat(u.getString("bed")).isEqualTo("bed-1");
            assertThat(u.getLong("seq")).isEqualTo(++seq);
            seen.add(u.getJsonObject("data").getLong("i"));
        }
        assertThat(c1.poll(100)).as("a re-delivered epoch or another ward's bed is not pushed").isNull();
        c1.close();
        for (long i = 10; i < 15; i++) {
            feed.publish(TestEvents.stage("bed-1", i));
        }
        feed.publish(TestEvents.leg("bed-1", LegSide.LEFT, 200));
        WsClient c2 = WsClient.connect(vertx, server.port(), "ward=ward-a", nurse);
        JsonObject night2 = c2.next().getJsonArray("beds").getJsonObject(0);
        assertThat(epochs(night2)).containsExactlyElementsOf(LongStream.range(0, 15).boxed().toList());
        assertThat(night2.getJsonArray("legs")).hasSize(1);
        assertThat(epochs(night2)).containsAll(seen);
        long seq2 = night2.getLong("seq");
        assertThat(seq2).isEqualTo(seq + 6);
        List<Long> live = new ArrayList<>();
        for (long i = 15; i < 20; i++) {
            feed.publish(TestEvents.stage("bed-1", i));
            JsonObject u = c2.next();
            assertThat(u.getLong("seq")).isEqualTo(++seq2);
            live.add(u.getJsonObject("data").getLong("i"));
        }
        List<Long> all = new ArrayList<>(epochs(night2));
        all.addAll(live);
        assertThat(all).containsExactlyElementsOf(LongStream.range(0, 20).boxed().toList());
        c2.close();
    }

    @Test
    void restartedDashboardRebuildsNightsAndClientsResume() throws Exception {
        String nurse = http.login("nurse", TestUsers.PASSWORD);
        WsClient c = WsClient.connect(vertx, server.port(), "bed=bed-1", nurse);
        assertThat(epochs(c.next().getJsonArray("beds").getJsonObject(0))).hasSize(5);
        feed.publish(TestEvents.leg("bed-1", LegSide.RIGHT, 100), TestEvents.stage("bed-1", 5));
        c.next();
        c.next();
        server.close().await();
        server = DashboardServer.start(vertx, cfg, feed, feed, clock).await();
        http = new Http(vertx, server.port());
        nurse = http.login("nurse", TestUsers.PASSWORD); // tokens live in memory: sign in again
        WsClient again = WsClient.connect(vertx, server.port(), "bed=bed-1", nurse);
        JsonObject night = again.next().getJsonArray("beds").getJsonObject(0);
        assertThat(epochs(night)).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
        assertThat(night.getJsonArray("legs")).hasSize(1);
        feed.publish(TestEvents.stage("bed-1", 6));
        JsonObject u = again.next();
        assertThat(u.getLong("seq")).isEqualTo(night.getLong("seq") + 1);
        assertThat(u.getJsonObject("data").getLong("i")).isEqualTo(6L);
        again.close();
    }

    @Test
    void acknowledgeAndSilenceAreWrittenWithTheUsersNameAndAudited() throws Exception {
        feed.publish(TestEvents.alert("bed-1", "a1", AlertPriority.HIGH, "PLMS_INDEX_HIGH"));
        String nurse = http.login("nurse", TestUsers.PASSWORD);
        WsClient c = WsClient.connect(vertx, server.port(), "bed=bed-1", nurse);
        long seq = c.next().getJsonArray("beds").getJsonObject(0).getLong("seq");
        assertThat(http.call(HttpMethod.POST, "/api/beds/bed-1/alerts/nope/acknowledge", nurse, "{}").status()).isEqualTo(404);
        assertThat(http.call(HttpMethod.POST, "/api/beds/bed-1/alerts/a1/silence", nurse, "{\"seconds\":0}").status()).isEqualTo(400);
        assertThat(http.call(HttpMethod.POST, "/api/beds/bed-1/alerts/a1/silence", nurse, "[1]").status()).isEqualTo(400);
        Http.Resp ack = http.call(HttpMethod.POST, "/api/beds/bed-1/alerts/a1/acknowledge", nurse, "{\"comment\":\"seen\"}");
        assertThat(ack.status()).isEqualTo(202);
        assertThat(http.call(HttpMethod.POST, "/api/beds/bed-1/alerts/a1/silence", nurse, "{\"seconds\":120}").status()).isEqualTo(202);
        assertThat(feed.actions()).extracting(a -> a.action() + " " + a.user() + " " + a.silenceSeconds())
                .containsExactly("ACKNOWLEDGE nurse 0", "SILENCE nurse 120");
        JsonObject u = c.next();
        assertThat(u.getString("kind")).isEqualTo("action");
        assertThat(u.getLong("seq")).isEqualTo(seq + 1);
        assertThat(u.getJsonObject("data").getString("user")).isEqualTo("nurse");
        JsonArray audit = http.call(HttpMethod.GET, "/api/beds/bed-1/alerts", nurse, null).json().getJsonArray("actions");
        assertThat(audit).hasSize(2);
        assertThat(audit.getJsonObject(0).getString("comment")).isEqualTo("seen");
    }

    @Test
    void bedViewSocketsGetEegSpectrogramHistoryThenLiveFramesWardSocketsDoNot() throws Exception {
        feed.publish(EegFrame.from(TestEvents.epoch("bed-1", 3, false)), EegFrame.from(TestEvents.epoch("bed-2", 3, false)));
        String nurse = http.login("nurse", TestUsers.PASSWORD);
        WsClient bed = WsClient.connect(vertx, server.port(), "bed=bed-1", nurse);
        WsClient ward = WsClient.connect(vertx, server.port(), "ward=ward-a", nurse);
        assertThat(bed.next().getString("type")).isEqualTo("snapshot");
        JsonObject history = bed.next();
        assertThat(history.getString("type")).isEqualTo("eeg");
        assertThat(history.getJsonArray("spectra")).hasSize(1);
        JsonArray cols = history.getJsonArray("spectra").getJsonObject(0).getJsonArray("columns");
        assertThat(cols).hasSize(14);
        JsonArray col = cols.getJsonArray(0);
        int peak = 0;
        for (int f = 0; f < col.size(); f++) {
            peak = col.getDouble(f) > col.getDouble(peak) ? f : peak;
        }
        assertThat(peak * history.getJsonArray("spectra").getJsonObject(0).getDouble("binHz")).isEqualTo(10.0);
        assertThat(history.getJsonObject("latest").getJsonArray("traces")).hasSize(3);
        assertThat(history.getJsonObject("latest").getJsonArray("traces").getJsonObject(0).getJsonArray("uV")).hasSize(1500);
        feed.publish(EegFrame.from(TestEvents.epoch("bed-1", 4, true)), TestEvents.stage("bed-1", 5));
        JsonObject live = bed.next();
        assertThat(live.getString("type")).isEqualTo("eeg");
        assertThat(live.getJsonObject("latest").getLong("i")).isEqualTo(4L);
        assertThat(live.getJsonObject("latest").getJsonArray("q")).containsExactly("GAP");
        assertThat(live.getJsonArray("spectra").getJsonObject(0).getJsonArray("columns").getJsonArray(13).getValue(0)).isNull();
        assertThat(bed.next().getString("kind")).isEqualTo("stage");
        assertThat(ward.next().getString("type")).isEqualTo("snapshot");
        assertThat(ward.next().getString("kind")).as("ward sockets get no EEG").isEqualTo("stage");
        bed.close();
        ward.close();
    }

    @Test
    void metricsAndThePageAreServed() {
        Http.Resp m = http.call(HttpMethod.GET, "/metrics", null, null);
        assertThat(m.status()).isEqualTo(200);
        assertThat(m.body()).contains("hypnostream_dashboard_events_applied_total");
        Http.Resp page = http.call(HttpMethod.GET, "/", null, null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("uPlot.iife.min.js").doesNotContain("bed-1");
        assertThat(http.call(HttpMethod.GET, "/vendor/uplot/uPlot.iife.min.js", null, null).body()).contains("uPlot");
    }
}
