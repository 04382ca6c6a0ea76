package org.hypnostream.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.hypnostream.common.event.RescoreRequest;
import org.hypnostream.common.event.RevisedHypnogram;
import org.hypnostream.common.time.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * On-demand re-score ({@code POST /api/beds/{bed}/rescore}) on {@link ReviewNight} (study S1 admitted 60 s before
 * the night, now = one hour in): a technologist or admin asks for a finished stretch (by default from the admission up
 * to now) and one {@link RescoreRequest} is written; nurses and physicians may not; a stretch in the future, reversed,
 * outside the study, a bad body, an unknown bed or a bed without a study are refused and write nothing; so is any
 * request once the study was signed (409: it keeps the scoring it was signed on).
 */
@ExtendWith(VertxExtension.class)
class RescoreEndpointsTest {
    static final Instant NOW = ReviewNight.START.plusSeconds(3600);
    @TempDir
    Path dir;
    MemoryFeed feed;
    DashboardServer server;
    Http http;

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        feed = new MemoryFeed();
        feed.publish(ReviewNight.events("bed-1", "ward-a").toArray());
        feed.publish(TestEvents.bed("bed-2", "ward-a"));
        server = DashboardServer.start(vertx, TestConfigs.api(dir), feed, feed, new ManualClock(NOW)).await();
        http = new Http(vertx, server.port());
    }

    @AfterEach
    void stop() {
        server.close().await();
    }

    private Http.Resp post(String bed, String token, String body) {
        return http.call(HttpMethod.POST, "/api/beds/" + bed + "/rescore", token, body);
    }

    private List<RescoreRequest> written() {
        return feed.written().stream().filter(RescoreRequest.class::isInstance).map(RescoreRequest.class::cast).toList();
    }

    @Test
    void aTechnologistOrAdminAsksForAFinishedStretch() throws Exception {
        String tech = http.login("tech", TestUsers.PASSWORD);
        Http.Resp upToNow = post("bed-1", tech, null);
        assertThat(upToNow.status()).as(upToNow.body()).isEqualTo(202);
        assertThat(upToNow.json().getString("label")).isEqualTo(RevisedHypnogram.LABEL);
        RescoreRequest q = written().get(0);
        assertThat(q.bedId()).isEqualTo("bed-1");
        assertThat(q.studyId()).isEqualTo("S1");
        assertThat(q.from()).as("the study's admission").isEqualTo(ReviewNight.START.minusSeconds(60));
        assertThat(q.until()).as("up to now").isEqualTo(NOW);
        assertThat(q.user()).isEqualTo("tech");
        assertThat(q.recordedAt()).isEqualTo(NOW);
        assertThat(upToNow.json().getString("requestId")).isEqualTo(q.requestId());

        String admin = http.login("admin", TestUsers.PASSWORD);
        JsonObject stretch = new JsonObject().put("from", ReviewNight.START.plusSeconds(300).toString())
                .put("to", ReviewNight.START.plusSeconds(900).toString());
        Http.Resp r = post("bed-1", admin, stretch.encode());
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        RescoreRequest q2 = written().get(1);
        assertThat(q2.from()).isEqualTo(ReviewNight.START.plusSeconds(300));
        assertThat(q2.until()).isEqualTo(ReviewNight.START.plusSeconds(900));
        assertThat(q2.user()).isEqualTo("admin");
        assertThat(q2.requestId()).isNotEqualTo(q.requestId());
    }

    @Test
    void otherRolesBadStretchesAndBedsWithoutAStudyAreRefused() throws Exception {
        String tech = http.login("tech", TestUsers.PASSWORD);
        assertThat(post("bed-1", http.login("nurse", TestUsers.PASSWORD), null).status()).isEqualTo(403);
        assertThat(post("bed-1", http.login("doc", TestUsers.PASSWORD), null).status()).isEqualTo(403);
        assertThat(post("bed-1", null, null).status()).isEqualTo(401);
        Http.Resp future = post("bed-1", tech, new JsonObject().put("to", NOW.plusSeconds(60).toString()).encode());
        assertThat(future.status()).isEqualTo(400);
        assertThat(future.json().getString("error")).contains("in the future");
        Http.Resp reversed = post("bed-1", tech, new JsonObject().put("from", ReviewNight.START.plusSeconds(900).toString())
                .put("to", ReviewNight.START.plusSeconds(300).toString()).encode());
        assertThat(reversed.status()).isEqualTo(400);
        assertThat(reversed.json().getString("error")).contains("must be before");
        Http.Resp before = post("bed-1", tech, new JsonObject().put("from", ReviewNight.START.minusSeconds(3600).toString())
                .encode());
        assertThat(before.status()).isEqualTo(409);
        assertThat(before.json().getString("error")).contains("outside study S1");
        assertThat(post("bed-1", tech, "{\"from\":\"yesterday\"}").status()).isEqualTo(400);
        assertThat(post("bed-1", tech, "{\"until\":\"2026-11-20T22:00:00Z\"}").json().getString("error"))
                .contains("unknown field 'until'");
        assertThat(post("bed-9", tech, null).status()).isEqualTo(404);
        Http.Resp noStudy = post("bed-2", tech, null);
        assertThat(noStudy.status()).isEqualTo(409);
        assertThat(noStudy.json().getString("error")).contains("no study on bed bed-2");
        assertThat(written()).isEmpty();
    }

    @Test
    void aSignedStudyIsNotReScored() throws Exception {
        String tech = http.login("tech", TestUsers.PASSWORD);
        String doc = http.login("doc", TestUsers.PASSWORD);
        Http.Resp open = post("bed-1", tech, null);
        assertThat(open.status()).as("before sign-off: " + open.body()).isEqualTo(202);
        Http.Resp sign = http.call(HttpMethod.POST, "/api/beds/bed-1/review/sign", doc, "{\"interpretation\":\"Normal.\"}");
        assertThat(sign.status()).as(sign.body()).isEqualTo(201);
        Http.Resp signed = post("bed-1", tech, null);
        assertThat(signed.status()).as(signed.body()).isEqualTo(409);
        assertThat(signed.json().getString("error")).contains("study S1 was signed by doc")
                .contains("not re-scored").contains("amendment");
        Http.Resp stretch = post("bed-1", http.login("admin", TestUsers.PASSWORD), new JsonObject()
                .put("from", ReviewNight.START.plusSeconds(300).toString())
                .put("to", ReviewNight.START.plusSeconds(900).toString()).encode());
        assertThat(stretch.status()).isEqualTo(409);
        assertThat(written()).as("only the request before sign-off").hasSize(1);
    }
}
