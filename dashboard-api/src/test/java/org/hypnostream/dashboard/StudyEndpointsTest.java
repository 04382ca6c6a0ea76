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
import org.hypnostream.common.study.BedsideEvent;
import org.hypnostream.common.study.StudyEvent;
import org.hypnostream.common.time.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The study write path on a real server (127.0.0.1) with an in-memory topic log: roles, lifecycle refusals, fuzzing. */
@ExtendWith(VertxExtension.class)
class StudyEndpointsTest {
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
        for (long i = 0; i < 40; i++) {
            feed.publish(TestEvents.stage("bed-1", i));
        }
        server = DashboardServer.start(vertx, cfg, feed, feed, clock).await();
        http = new Http(vertx, server.port());
    }

    @AfterEach
    void stop() {
        server.close().await();
    }

    static String at(long seconds) {
        return TestEvents.START.plusSeconds(seconds).toString();
    }

    private Http.Resp post(String path, String token, String body) {
        return http.call(HttpMethod.POST, "/api/beds/bed-1" + path, token, body);
    }

    private static String admit(String at) {
        return new JsonObject().put("studyId", "S1").put("patientRef", "P-0042").put("protocol", "PLM_STUDY")
                .put("population", "ADULT").put("at", at).encode();
    }

    @Test
    void aNightIsMarkedByTheRightRolesAndEveryRefusalSaysWhyAndWritesNothing() throws Exception {
        String nurse = http.login("nurse", TestUsers.PASSWORD);
        String tech = http.login("tech", TestUsers.PASSWORD);
        String doc = http.login("doc", TestUsers.PASSWORD);
        WsClient bedView = WsClient.connect(vertx, server.port(), "bed=bed-1", nurse);
        long seq = bedView.next().getJsonArray("beds").getJsonObject(0).getLong("seq");

        Http.Resp noStudy = post("/study/lights-off", nurse, "{}");
        assertThat(noStudy.status()).isEqualTo(409);
        assertThat(noStudy.json().getString("error")).isEqualTo("no study on bed bed-1: a technologist admits one first");
        assertThat(post("/study/admit", nurse, admit(at(-60))).status()).as("nurses do not admit").isEqualTo(403);
        assertThat(feed.written()).isEmpty();

        Http.Resp admitted = post("/study/admit", tech, admit(at(-60)));
        assertThat(admitted.status()).isEqualTo(201);
        assertThat(admitted.json().getJsonObject("study").getString("state")).isEqualTo("ADMITTED");
        assertThat(admitted.body()).as("the pseudonymous reference stays in the topic").doesNotContain("P-0042");
        JsonObject u = bedView.next();
        assertThat(u.getString("kind")).isEqualTo("study");
        assertThat(u.getLong("seq")).isEqualTo(++seq);
        assertThat(u.getJsonObject("statistics").getString("study_state")).isEqualTo("ADMITTED");
        assertThat(u.getJsonObject("statistics").getBoolean("lights_off_assumed")).isTrue();

        Http.Resp again = post("/study/admit", tech, new JsonObject(admit(at(0))).put("studyId", "S2").encode());
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().getString("error")).isEqualTo("bed bed-1 is occupied by study S1 (ADMITTED); end it before admitting another");
        Http.Resp onFirst = post("/study/lights-on", nurse, "{}");
        assertThat(onFirst.status()).isEqualTo(409);
        assertThat(onFirst.json().getString("error")).isEqualTo("lights-on before lights-off: mark lights-off first");
        assertThat(post("/study/lights-off", nurse, "{\"at\":\"" + at(7200) + "\"}").json().getString("error"))
                .contains("is in the future");
        assertThat(post("/study/lights-off", nurse, "{\"at\":\"" + at(-3600) + "\"}").json().getString("error"))
                .contains("before study S1 began");
        assertThat(post("/study/lights-off", doc, "{}").status()).as("physicians do not mark lights").isEqualTo(403);

        assertThat(post("/study/lights-off", nurse, "{\"at\":\"" + at(60) + "\"}").status()).isEqualTo(201);
        assertThat(bedView.next().getJsonObject("data").getString("lightsOff")).isEqualTo(at(60));
        Http.Resp ev = post("/events", nurse, "{\"type\":\"position_change\",\"position\":\"left\",\"at\":\"" + at(300) + "\"}");
        assertThat(ev.status()).isEqualTo(201);
        JsonObject bedside = bedView.next();
        assertThat(bedside.getString("kind")).isEqualTo("bedside");
        assertThat(bedside.getJsonObject("data").getString("label")).isEqualTo("Position change left");
        assertThat(bedside.getJsonObject("data").getString("user")).isEqualTo("nurse");
        assertThat(post("/events", doc, "{\"type\":\"NOTE\",\"text\":\"restless legs reported\"}").status()).isEqualTo(201);
        assertThat(post("/study/end", nurse, "{}").status()).as("nurses do not end studies").isEqualTo(403);
        assertThat(post("/study/end", tech, "{}").json().getString("error"))
                .isEqualTo("lights are off: mark lights-on before ending the study");

        assertThat(post("/study/lights-on", nurse, "{\"at\":\"" + at(1200) + "\"}").status()).isEqualTo(201);
        Http.Resp noReason = post("/study/amend", tech, "{\"mark\":\"LIGHTS_OFF\",\"at\":\"" + at(30) + "\"}");
        assertThat(noReason.status()).isEqualTo(400);
        assertThat(noReason.json().getString("error")).isEqualTo("field 'reason' is required");
        assertThat(post("/study/amend", nurse, "{\"mark\":\"LIGHTS_OFF\",\"at\":\"" + at(30) + "\",\"reason\":\"late\"}").status())
                .as("nurses do not amend").isEqualTo(403);
        assertThat(post("/study/amend", tech, "{\"mark\":\"LIGHTS_OFF\",\"at\":\"" + at(30) + "\",\"reason\":\"entered late\"}")
                .status()).isEqualTo(201);
        assertThat(post("/study/end", tech, "{\"at\":\"" + at(1230) + "\"}").status()).isEqualTo(201);
        Http.Resp afterEnd = post("/events", nurse, "{\"type\":\"BATHROOM_BREAK\",\"at\":\"" + at(1240) + "\"}");
        assertThat(afterEnd.status()).isEqualTo(409);
        assertThat(afterEnd.json().getString("error")).isEqualTo("bedside event for study S1, which has ended");

        assertThat(feed.written()).extracting(w -> w instanceof StudyEvent e
                ? e.type() + (e.amends() == null ? "" : " " + e.amends()) + " " + e.user()
                : "BEDSIDE " + ((BedsideEvent) w).type() + " " + ((BedsideEvent) w).user())
                .containsExactly("ADMITTED tech", "LIGHTS_OFF nurse", "BEDSIDE POSITION_CHANGE nurse", "BEDSIDE NOTE doc",
                        "LIGHTS_ON nurse", "AMENDED LIGHTS_OFF tech", "ENDED tech");
        // lights-off amended to epoch 1, lights-on at epoch 40: epochs 1-39 of TestEvents' cycle are the window
        JsonObject stats = http.call(HttpMethod.GET, "/api/beds/bed-1/statistics", nurse, null).json().getJsonObject("statistics");
        assertThat(stats.getString("study_state")).isEqualTo("ENDED");
        assertThat(stats.getBoolean("lights_off_assumed")).isFalse();
        assertThat(stats.getString("lights_off")).isEqualTo(at(30));
        assertThat(stats.getDouble("trt_min")).isEqualTo(19.5);

        // a restarted dashboard rebuilds the same study and statistics from the topics
        server.close().await();
        server = DashboardServer.start(vertx, cfg, feed, feed, clock).await();
        http = new Http(vertx, server.port());
        JsonObject rebuilt = http.call(HttpMethod.GET, "/api/beds/bed-1/statistics", http.login("nurse", TestUsers.PASSWORD), null).json();
        assertThat(rebuilt.getJsonObject("statistics")).isEqualTo(stats);
        JsonArray marks = rebuilt.getJsonObject("study").getJsonArray("marks");
        assertThat(marks).hasSize(5);
        assertThat(marks.getJsonObject(3).getString("reason")).isEqualTo("entered late");
        bedView.close();
    }

    @Test
    void malformedAndFuzzedBodiesAreAnswered400AndWriteNothing() {
        String tech = http.login("tech", TestUsers.PASSWORD);
        List<String[]> bad = List.of(
                new String[] {"/study/admit", "not json", "body must be a JSON object"},
                new String[] {"/study/admit", "[1,2]", "body must be a JSON object"},
                new String[] {"/study/admit", "null", "body must be a JSON object"},
                new String[] {"/study/admit", "{\"patientRef\":\"P-0042\"}", "field 'protocol' is required"},
                new String[] {"/study/admit", "{\"patientRef\":\"Jane Doe\",\"protocol\":\"PLM_STUDY\",\"population\":\"ADULT\"}",
                    "never a name"},
                new String[] {"/study/admit", "{\"patientRef\":42,\"protocol\":\"PLM_STUDY\",\"population\":\"ADULT\"}",
                    "field 'patientRef' must be a string"},
                new String[] {"/study/admit", "{\"patientRef\":\"P-0042\",\"protocol\":\"NAP\",\"population\":\"ADULT\"}",
                    "field 'protocol' must be one of [DIAGNOSTIC_PSG, PLM_STUDY]"},
                new String[] {"/study/admit", "{\"patientRef\":\"P-0042\",\"protocol\":\"PLM_STUDY\",\"population\":\"ADULT\",\"name\":\"x\"}",
                    "unknown field 'name'"},
                new String[] {"/study/admit", "{\"patientRef\":\"P-0042\",\"protocol\":\"PLM_STUDY\",\"population\":\"ADULT\",\"studyId\":\"a b\"}",
                    "studyId must be"},
                new String[] {"/study/admit", "{\"patientRef\":\"P-0042\",\"protocol\":\"PLM_STUDY\",\"population\":\"ADULT\",\"ruleSet\":\"X\"}",
                    "WASM2016 or AASM"},
                new String[] {"/study/lights-off", "{\"at\":\"yesterday\"}", "must be an ISO-8601 UTC time"},
                new String[] {"/study/lights-off", "{\"at\":12}", "field 'at' must be a string"},
                new String[] {"/study/amend", "{\"mark\":\"ADMITTED\",\"at\":\"" + at(0) + "\",\"reason\":\"x\"}", "must name the mark"},
                new String[] {"/study/amend", "{\"mark\":\"LIGHTS_OFF\",\"reason\":\"x\"}", "field 'at' is required"},
                new String[] {"/events", "{}", "field 'type' is required"},
                new String[] {"/events", "{\"type\":\"PARTY\"}", "field 'type' must be one of"},
                new String[] {"/events", "{\"type\":\"NOTE\",\"text\":{\"a\":1}}", "field 'text' must be a string"},
                new String[] {"/events", "{\"type\":\"POSITION_CHANGE\",\"position\":\"SIDEWAYS\"}", "field 'position' must be one of"});
        for (String[] b : bad) {
            Http.Resp r = post(b[0], tech, b[1]);
            assertThat(r.status()).as(b[0] + " " + b[1]).isEqualTo(400);
            assertThat(r.json().getString("error")).as(b[0] + " " + b[1]).contains(b[2]);
        }
        assertThat(post("/study/admit", tech, admit(at(-60))).status()).isEqualTo(201);
        for (String[] b : List.of(new String[] {"/events", "{\"type\":\"NOTE\"}", "a NOTE needs text"},
                new String[] {"/events", "{\"type\":\"NOTE\",\"text\":\"" + "x".repeat(600) + "\"}", "text longer than 500"},
                new String[] {"/events", "{\"type\":\"BATHROOM_BREAK\",\"position\":\"LEFT\"}", "carries no position"})) {
            Http.Resp r = post(b[0], tech, b[1]);
            assertThat(r.status()).as(b[1]).isEqualTo(400);
            assertThat(r.json().getString("error")).contains(b[2]);
        }
        assertThat(post("/events", tech, "{\"a\":\"" + "y".repeat(5000) + "\"}").status()).isEqualTo(413);
        int writtenBefore = feed.written().size();
        // random bodies: JSON-ish mutations of valid ones; never a 5xx, and only a 201 writes
        Random rnd = new Random(42);
        String[] seeds = {admit(at(-30)), "{\"at\":\"" + at(60) + "\"}", "{\"type\":\"NOTE\",\"text\":\"t\"}",
            "{\"mark\":\"LIGHTS_OFF\",\"at\":\"" + at(60) + "\",\"reason\":\"r\"}"};
        String[] paths = {"/study/admit", "/study/lights-off", "/events", "/study/amend"};
        int created = 0;
        for (int i = 0; i < 300; i++) {
            int k = rnd.nextInt(seeds.length);
            StringBuilder body = new StringBuilder(seeds[k]);
            for (int m = 1 + rnd.nextInt(4); m > 0 && body.length() > 0; m--) {
                int pos = rnd.nextInt(body.length());
                switch (rnd.nextInt(3)) {
                    case 0 -> body.deleteCharAt(pos);
                    case 1 -> body.insert(pos, "{}[]\":,0x-\\ nulltrue".charAt(rnd.nextInt(20)));
                    default -> body.setCharAt(pos, (char) (32 + rnd.nextInt(95)));
                }
            }
            Http.Resp r = post(paths[k], tech, body.toString());
            assertThat(r.status()).as(paths[k] + " " + body).isIn(201, 400, 409);
            assertThat(r.json().containsKey(r.status() == 201 ? "study" : "error")).as(body.toString()).isTrue();
            created += r.status() == 201 ? 1 : 0;
        }
        assertThat(feed.written()).hasSize(writtenBefore + created);
    }
}
