package org.hypnostream.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import org.hypnostream.common.time.ManualClock;
import org.hypnostream.dashboard.auth.WsTickets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Sign-ins across a dashboard restart, and the one-time websocket ticket, on a real server on 127.0.0.1. */
@ExtendWith(VertxExtension.class)
class DashboardSessionsTest {
    @TempDir
    Path dir;
    Vertx vertx;
    MemoryFeed feed;
    ManualClock clock;
    DashboardConfig cfg;

    @BeforeEach
    void setUp(Vertx vertx) throws Exception {
        this.vertx = vertx;
        feed = new MemoryFeed();
        clock = new ManualClock(TestEvents.START.plusSeconds(3600));
        cfg = TestConfigs.api(dir);
        feed.publish(TestEvents.bed("bed-1", "ward-a"), TestEvents.bed("bed-2", "ward-b"), TestEvents.stage("bed-1", 0));
    }

    private DashboardServer start(DashboardConfig c) {
        return DashboardServer.start(vertx, c, feed, feed, clock).await();
    }

    private static String ticket(Http http, String token) {
        Http.Resp r = http.call(HttpMethod.POST, "/api/ws-ticket", token, null);
        assertThat(r.status()).as("ws-ticket: %s", r).isEqualTo(200);
        assertThat(r.json().getLong("expiresInSeconds")).isEqualTo(WsTickets.TTL.toSeconds());
        return r.json().getString("ticket");
    }

    @Test
    void aTicketOpensOneWebsocketAndATokenInTheUrlIsRefused() throws Exception {
        DashboardServer server = start(cfg);
        try {
            Http http = new Http(vertx, server.port());
            int port = server.port();
            String nurse = http.login("nurse", TestUsers.PASSWORD);
            assertThat(http.call(HttpMethod.POST, "/api/ws-ticket", null, null).status()).as("no token").isEqualTo(401);

            String t = ticket(http, nurse);
            WsClient c = WsClient.connect(vertx, port, "ward=ward-a&ticket=" + t, null);
            JsonObject snapshot = c.next();
            assertThat(snapshot.getString("type")).isEqualTo("snapshot");
            assertThat(snapshot.getJsonArray("beds").stream().map(b -> ((JsonObject) b).getString("bed"))).containsExactly("bed-1");
            c.close();
            assertThat(WsClient.handshakeStatus(vertx, port, "ward=ward-a&ticket=" + t, null)).as("replayed").isEqualTo(401);

            String expired = ticket(http, nurse);
            clock.advance(WsTickets.TTL);
            assertThat(WsClient.handshakeStatus(vertx, port, "ward=ward-a&ticket=" + expired, null)).as("expired").isEqualTo(401);

            assertThat(WsClient.handshakeStatus(vertx, port, "ward=ward-a&ticket=" + ticket(http, nurse).substring(1), null))
                    .as("unknown").isEqualTo(401);
            assertThat(WsClient.handshakeStatus(vertx, port, "ward=ward-b&ticket=" + ticket(http, nurse), null))
                    .as("another ward").isEqualTo(403);
            assertThat(WsClient.handshakeStatus(vertx, port, "ward=ward-a&access_token=" + nurse, null))
                    .as("token in the URL").isEqualTo(401);
            assertThat(WsClient.handshakeStatus(vertx, port, "ward=ward-a", nurse)).as("token in the header").isEqualTo(101);
        } finally {
            server.close().await();
        }
    }

    @Test
    void signInsAndSignOutsSurviveARestartOnTheSessionDirectory() {
        DashboardConfig persistent = cfg.withSessionDir(dir.resolve("sessions"));
        DashboardServer first = start(persistent);
        Http http = new Http(vertx, first.port());
        String kept = http.login("nurse", TestUsers.PASSWORD);
        String signedOut = http.login("nurse", TestUsers.PASSWORD);
        assertThat(http.call(HttpMethod.POST, "/api/logout", signedOut, null).status()).isEqualTo(204);
        first.close().await();

        DashboardServer second = start(persistent);
        try {
            Http again = new Http(vertx, second.port());
            Http.Resp me = again.call(HttpMethod.GET, "/api/me", kept, null);
            assertThat(me.status()).as("token issued before the restart: %s", me).isEqualTo(200);
            assertThat(me.json().getString("user")).isEqualTo("nurse");
            assertThat(again.call(HttpMethod.GET, "/api/beds/bed-1/night", kept, null).status()).isEqualTo(200);
            assertThat(again.call(HttpMethod.GET, "/api/beds/bed-2/night", kept, null).status()).as("other ward").isEqualTo(404);
            assertThat(again.call(HttpMethod.GET, "/api/me", signedOut, null).status()).as("signed out before the restart")
                    .isEqualTo(401);
            assertThat(WsClient.handshakeStatus(vertx, second.port(), "ward=ward-a&ticket=" + ticket(again, kept), null))
                    .isEqualTo(101);
            clock.advance(Duration.ofHours(12));
            assertThat(again.call(HttpMethod.GET, "/api/me", kept, null).status()).as("expired").isEqualTo(401);
        } finally {
            second.close().await();
        }
    }

    @Test
    void withoutASessionDirectoryARestartSignsEveryoneOut() {
        DashboardServer first = start(cfg);
        String token = new Http(vertx, first.port()).login("nurse", TestUsers.PASSWORD);
        first.close().await();
        DashboardServer second = start(cfg);
        try {
            assertThat(new Http(vertx, second.port()).call(HttpMethod.GET, "/api/me", token, null).status()).isEqualTo(401);
        } finally {
            second.close().await();
        }
    }
}
