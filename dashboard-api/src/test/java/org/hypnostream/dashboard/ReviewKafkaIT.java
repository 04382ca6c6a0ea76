package org.hypnostream.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hypnostream.broker.EmbeddedKafka;
import org.hypnostream.common.review.ReviewEvent;
import org.hypnostream.common.review.ReviewEventType;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.dashboard.export.NightExporter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The morning review of a whole synthetic night ({@link ReviewNight}) against a real in-process KRaft broker:
 * corrections through REST change the statistics and the PLM index exactly as computed by hand; the physician's
 * signature locks the study; an amendment is recorded on review-events.v1 (key = bed) and shown in the report; a
 * restarted dashboard rebuilds the same review; the EDF+ export carries the corrections and the signed status.
 */
@ExtendWith(VertxExtension.class)
class ReviewKafkaIT {
    @TempDir
    Path dir;
    EmbeddedKafka kafka;
    DashboardServer server;

    @BeforeEach
    void broker() {
        kafka = EmbeddedKafka.start(dir.resolve("kafka"));
        kafka.createTopics(2);
    }

    @AfterEach
    void close() {
        if (server != null) {
            server.close().await();
        }
        kafka.close();
    }

    /** Reads bed-1's messages until its night holds every epoch, 4 leg movements, lights-on and {@code reviewEvents}. */
    static void awaitNight(WsClient c, int reviewEvents) throws InterruptedException {
        Set<Long> epochs = new HashSet<>();
        Set<String> legs = new HashSet<>();
        Set<String> reviews = new HashSet<>();
        String st = null;
        int snapshotReviews = 0;
        while (epochs.size() < ReviewNight.EPOCHS || legs.size() < 4 || !"LIGHTS_ON".equals(st)
                || snapshotReviews + reviews.size() < reviewEvents) {
            JsonObject m = c.next();
            if (m.getString("type").equals("snapshot")) {
                for (Object o : m.getJsonArray("beds")) {
                    JsonObject n = (JsonObject) o;
                    n.getJsonArray("stages").forEach(s -> epochs.add(((JsonObject) s).getLong("i")));
                    n.getJsonArray("legs").forEach(s -> legs.add(((JsonObject) s).getString("id")));
                    st = n.getJsonObject("study") == null ? null : n.getJsonObject("study").getString("state");
                    snapshotReviews = n.getJsonObject("review") == null ? 0 : n.getJsonObject("review").getInteger("events");
                    reviews.clear(); // updates after a snapshot are changes the snapshot did not hold
                }
            } else if (m.getString("type").equals("update") && "bed-1".equals(m.getString("bed"))) {
                JsonObject d = m.getJsonObject("data");
                switch (m.getString("kind")) {
                    case "stage" -> epochs.add(d.getLong("i"));
                    case "leg" -> legs.add(d.getString("id"));
                    case "study" -> st = d.getString("state");
                    case "review" -> reviews.add(d.getString("id"));
                    default -> { }
                }
            }
        }
    }

    @Test
    void correctionsChangeTheNightAsComputedByHandSignOffLocksAndAnAmendmentIsRecorded(Vertx vertx) throws Exception {
        try (TransactionalInput in = TransactionalInput.open(kafka.bootstrapServers(), "review-it-producer")) {
            in.commit(ReviewNight.events("bed-1", "ward-a").toArray());
        }
        DashboardConfig cfg = DashboardConfig.of(kafka.bootstrapServers(), TestUsers.write(dir), 0);
        server = DashboardServer.start(vertx, cfg).await();
        Http http = new Http(vertx, server.port());
        String tech = http.login("tech", TestUsers.PASSWORD);
        String doc = http.login("doc", TestUsers.PASSWORD);
        WsClient ws = WsClient.connect(vertx, server.port(), "ward=ward-a", tech);
        awaitNight(ws, 0);
        ws.close();
        String b = "/api/beds/bed-1";
        JsonObject st = http.call(HttpMethod.GET, b + "/review", tech, null).json().getJsonObject("reviewed");
        assertThat(st.getDouble("tst_min")).isEqualTo(19.0);
        assertThat(st.getDouble("plms_index")).isEqualTo(12.63); // 4 PLMs / (19/60) h

        assertThat(http.call(HttpMethod.POST, b + "/review/restage", tech, "{\"from\":30,\"to\":39,\"stage\":\"W\"}").status()).isEqualTo(201);
        String lm160 = "bed-1-LEFT-" + 160 * 200;
        assertThat(http.call(HttpMethod.POST, b + "/review/legs/delete", tech, "{\"id\":\"" + lm160 + "\"}").status()).isEqualTo(201);
        st = http.call(HttpMethod.GET, b + "/review", tech, null).json().getJsonObject("reviewed");
        assertThat(st.getDouble("tst_min")).isEqualTo(14.0);
        assertThat(st.getDouble("sleep_efficiency")).isEqualTo(0.7);
        assertThat(st.getInteger("plms_count")).as("120, 140, 180 s: 3 LMs, no series of 4").isZero();
        assertThat(http.call(HttpMethod.POST, b + "/review/legs", tech, new JsonObject().put("side", "RIGHT")
                .put("onset", ReviewNight.START.plusSeconds(200).toString()).put("offset", ReviewNight.START.plusSeconds(202).toString())
                .encode()).status()).isEqualTo(201);
        st = http.call(HttpMethod.GET, b + "/review", tech, null).json().getJsonObject("reviewed");
        assertThat(st.getInteger("plms_count")).isEqualTo(4);
        assertThat(st.getDouble("plms_index")).isEqualTo(17.14); // 4 PLMs / (14/60) h

        assertThat(http.call(HttpMethod.POST, b + "/review/sign", doc, "{\"interpretation\":\"PLMS index 17/h.\"}").status()).isEqualTo(201);
        Http.Resp locked = http.call(HttpMethod.POST, b + "/review/restage", tech, "{\"from\":5,\"stage\":\"N3\"}");
        assertThat(locked.status()).isEqualTo(409);
        assertThat(locked.json().getString("error")).contains("a change now needs a reason");
        assertThat(http.call(HttpMethod.POST, b + "/review/restage", tech,
                "{\"from\":5,\"stage\":\"N3\",\"reason\":\"slow waves\"}").status()).isEqualTo(201);
        JsonObject amended = http.call(HttpMethod.GET, b + "/review", doc, null).json();
        assertThat(amended.getString("status")).isEqualTo("AMENDED");
        assertThat(amended.getJsonArray("amendments")).hasSize(1);
        String html = http.call(HttpMethod.GET, b + "/report.html", doc, null).body();
        assertThat(html).contains("AMENDMENT: re-stage epoch 5").contains("slow waves").contains("Status: AMENDED");

        List<ReviewEvent> topic = new StudyKafkaIT().readAllFrom(kafka, Topics.REVIEW_EVENTS);
        assertThat(topic).extracting(ReviewEvent::type).containsExactly(ReviewEventType.RESTAGE, ReviewEventType.DELETE_LEG,
                ReviewEventType.ADD_LEG, ReviewEventType.SIGN, ReviewEventType.RESTAGE);
        assertThat(topic).extracting(ReviewEvent::user).containsExactly("tech", "tech", "tech", "doc", "tech");
        assertThat(topic.get(0).before()).hasSize(10);

        server.close().await();
        server = DashboardServer.start(vertx, cfg).await();
        http = new Http(vertx, server.port());
        String doc2 = http.login("doc", TestUsers.PASSWORD);
        WsClient again = WsClient.connect(vertx, server.port(), "ward=ward-a", doc2);
        awaitNight(again, 5);
        again.close();
        JsonObject rebuilt = http.call(HttpMethod.GET, b + "/review", doc2, null).json();
        assertThat(rebuilt.getJsonObject("reviewed")).as("rebuilt from the topics").isEqualTo(amended.getJsonObject("reviewed"));
        assertThat(rebuilt.getString("status")).isEqualTo("AMENDED");
        server.close().await();
        server = null;

        Path edf = dir.resolve("bed-1.edf");
        NightExporter.export(kafka.bootstrapServers(), "bed-1", edf, Duration.ofSeconds(60));
        String body = new String(Files.readAllBytes(edf), StandardCharsets.ISO_8859_1);
        assertThat(body).contains("Review: re-stage epochs 30-39 N2 -> W by tech").contains("Model stage N2")
                .contains("Review: deleted limb movement left by tech").contains("Study signed by doc")
                .contains("Amendment: re-stage epochs 5-5 N2 -> N3 by tech: slow waves").contains("Review status AMENDED")
                .doesNotContain("P-0042");
    }
}
