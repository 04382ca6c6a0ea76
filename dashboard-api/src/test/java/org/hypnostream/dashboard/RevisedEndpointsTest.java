package org.hypnostream.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hypnostream.common.event.Provenance;
import org.hypnostream.common.event.RevisedHypnogram;
import org.hypnostream.common.event.Stage;
import org.hypnostream.common.time.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The morning re-score in the dashboard ({@link ReviewNight} + a revised hypnogram of study S1 that moves epochs 7
 * and 20, the doubtful ones, to N1): the bed's night JSON carries it beside the live stages, clearly labelled; the
 * statistics JSON has its statistics beside the live ones (which stay the model's); the review lists each epoch's
 * revised stage and how many differ; a re-score of another study is not shown.
 */
@ExtendWith(VertxExtension.class)
public class RevisedEndpointsTest {
    static final Provenance V3 = Provenance.model("stager-features-welch-gru-v3", "cd".repeat(32), "CPU");
    @TempDir
    Path dir;
    MemoryFeed feed;
    DashboardServer server;
    Http http;

    public static RevisedHypnogram revised(String bed, String study, int epochs) {
        List<RevisedHypnogram.RevisedEpoch> e = new ArrayList<>();
        for (int i = 0; i < epochs; i++) {
            Stage st = i < 2 ? Stage.W : i == 7 || i == 20 ? Stage.N1 : Stage.N2;
            double[] p = {0.05, 0.05, 0.05, 0.05, 0.05};
            p[Stage.SCORED.indexOf(st)] = 0.8;
            Instant s = ReviewNight.START.plusSeconds(30L * i);
            e.add(new RevisedHypnogram.RevisedEpoch(i, s, s.plusSeconds(30), st, List.of(p[0], p[1], p[2], p[3], p[4]),
                    false, null));
        }
        return RevisedHypnogram.of(bed, study, "on-" + bed, ReviewNight.START.minusSeconds(60),
                ReviewNight.START.plusSeconds(1200), V3, ReviewNight.START.plusSeconds(1300), e);
    }

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        feed = new MemoryFeed();
        DashboardConfig cfg = TestConfigs.api(dir);
        feed.publish(ReviewNight.events("bed-1", "ward-a").toArray());
        feed.publish(revised("bed-1", "OTHER", 3), revised("bed-1", "S1", ReviewNight.EPOCHS));
        feed.publish(ReviewNight.events("bed-2", "ward-a").toArray());
        feed.publish(revised("bed-2", "OTHER", 3));
        server = DashboardServer.start(vertx, cfg, feed, feed, new ManualClock(ReviewNight.START.plusSeconds(3600))).await();
        http = new Http(vertx, server.port());
    }

    @AfterEach
    void stop() {
        server.close().await();
    }

    private JsonObject get(String path, String token) {
        Http.Resp r = http.call(HttpMethod.GET, path, token, null);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    @Test
    void theNightStatisticsAndReviewShowTheRevisedHypnogramBesideTheLiveOne() throws Exception {
        String nurse = http.login("nurse", TestUsers.PASSWORD);
        JsonObject night = get("/api/beds/bed-1/night", nurse);
        JsonObject rv = night.getJsonObject("revised");
        assertThat(rv.getString("label")).isEqualTo("revised (non-causal, morning re-score)");
        assertThat(rv.getBoolean("nonCausal")).isTrue();
        assertThat(rv.getString("studyId")).isEqualTo("S1");
        assertThat(rv.getString("modelId")).isEqualTo("stager-features-welch-gru-v3");
        assertThat(rv.getString("modelSha256")).isEqualTo("cd".repeat(32));
        JsonArray st = rv.getJsonArray("stages");
        assertThat(st).hasSize(ReviewNight.EPOCHS);
        assertThat(st.getJsonObject(7).getString("stage")).isEqualTo("N1");
        assertThat(st.getJsonObject(7).getString("live")).isEqualTo("N2");
        assertThat(st.getJsonObject(7).getJsonArray("p")).hasSize(5);
        assertThat(rv.getInteger("compared")).isEqualTo(ReviewNight.EPOCHS);
        assertThat(rv.getInteger("agreeing")).isEqualTo(ReviewNight.EPOCHS - 2);
        assertThat(night.getJsonArray("stages").getJsonObject(7).getString("stage")).as("live stays live").isEqualTo("N2");
        assertThat(get("/api/beds/bed-2/night", nurse).getValue("revised")).as("another study's re-score").isNull();

        JsonObject stats = get("/api/beds/bed-1/statistics", nurse);
        assertThat(stats.getJsonObject("statistics").getDouble("tst_min")).isEqualTo(19.0);
        assertThat(stats.getJsonObject("revised").getDouble("tst_min")).isEqualTo(19.0);
        assertThat(stats.getJsonObject("revised").getString("label")).isEqualTo(RevisedHypnogram.LABEL);
        assertThat(stats.getJsonObject("revised").getJsonObject("stage_min").getDouble("N1")).isEqualTo(1.0);
        assertThat(stats.getJsonObject("statistics").getJsonObject("stage_min").getDouble("N1")).isEqualTo(0.0);
        assertThat(get("/api/beds/bed-2/statistics", nurse).getValue("revised")).isNull();

        String tech = http.login("tech", TestUsers.PASSWORD);
        JsonObject review = get("/api/beds/bed-1/review", tech);
        assertThat(review.getJsonObject("revised").getInteger("differing")).isEqualTo(2);
        assertThat(review.getJsonObject("revised").getString("label")).isEqualTo(RevisedHypnogram.LABEL);
        JsonArray epochs = review.getJsonArray("epochs");
        assertThat(epochs.getJsonObject(20).getString("revised")).isEqualTo("N1");
        assertThat(epochs.getJsonObject(20).getString("model")).isEqualTo("N2");
        assertThat(epochs.getJsonObject(20).getString("reviewed")).as("the review starts from revised").isEqualTo("N1");
        assertThat(epochs.getJsonObject(20).getString("startStage")).isEqualTo("N1");
        assertThat(review.getString("startingPoint")).isEqualTo(RevisedHypnogram.LABEL);
        assertThat(review.getJsonObject("reviewed").getJsonObject("stage_min").getDouble("N1"))
                .as("reviewed statistics from the revised stages").isEqualTo(1.0);
        assertThat(get("/api/beds/bed-2/review", tech).getValue("revised")).isNull();
        assertThat(get("/api/beds/bed-2/review", tech).getString("startingPoint")).isEqualTo("live (causal)");
        assertThat(get("/api/beds/bed-2/review", tech).getJsonArray("epochs").getJsonObject(20).getString("reviewed"))
                .isEqualTo("N2");
    }

    @Test
    void theTechnologistEditsTheRevisedStagesAndTheReportSaysSo() throws Exception {
        String tech = http.login("tech", TestUsers.PASSWORD);
        // the revised epochs carry 0.8 for their stage: the most doubtful epoch is no longer the live 7 (0.4) but the
        // first of the revised ones with the same top probability, index 0
        assertThat(get("/api/beds/bed-1/review/doubt", tech).getLong("epoch")).isEqualTo(0L);
        assertThat(get("/api/beds/bed-2/review/doubt", tech).getLong("epoch")).as("live doubt").isEqualTo(7L);

        Http.Resp r = http.call(HttpMethod.POST, "/api/beds/bed-1/review/restage", tech,
                "{\"from\":7,\"to\":8,\"stage\":\"N3\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        JsonObject review = get("/api/beds/bed-1/review", tech);
        JsonObject c = review.getJsonArray("corrections").getJsonObject(0);
        assertThat(c.getJsonArray("before")).as("the stages the technologist changed are the revised ones")
                .containsExactly("N1", "N2");
        JsonArray epochs = review.getJsonArray("epochs");
        assertThat(epochs.getJsonObject(7).getString("reviewed")).isEqualTo("N3");
        assertThat(epochs.getJsonObject(7).getString("startStage")).isEqualTo("N1");
        assertThat(epochs.getJsonObject(7).getString("model")).as("live untouched").isEqualTo("N2");
        assertThat(epochs.getJsonObject(20).getString("reviewed")).as("uncorrected revised epoch").isEqualTo("N1");
        assertThat(get("/api/beds/bed-1/night", tech).getJsonArray("stages").getJsonObject(7).getString("stage"))
                .as("the live night is never changed by the review").isEqualTo("N2");

        Http.Resp html = http.call(HttpMethod.GET, "/api/beds/bed-1/report.html", tech, null);
        assertThat(html.status()).isEqualTo(200);
        assertThat(html.body()).contains("<p id=\"starting-point\">Scoring: the reviewed stages start from the "
                + RevisedHypnogram.LABEL + " hypnogram of stager-features-welch-gru-v3 (40 of 40 epochs");
        Http.Resp live = http.call(HttpMethod.GET, "/api/beds/bed-2/report.html", tech, null);
        assertThat(live.body()).contains("start from the live (causal) stages");
        Http.Resp fhir = http.call(HttpMethod.GET, "/api/beds/bed-1/fhir.json", tech, null);
        assertThat(fhir.status()).isEqualTo(200);
        assertThat(fhir.body()).contains("stages start from the " + RevisedHypnogram.LABEL
                + " hypnogram of stager-features-welch-gru-v3 where it covers an epoch");
    }

    @Test
    void afterSignOffTheRevisedColumnIsTheSignedStartingPointsNotAReScoreSetAside() throws Exception {
        String tech = http.login("tech", TestUsers.PASSWORD);
        Http.Resp sign = http.call(HttpMethod.POST, "/api/beds/bed-1/review/sign", http.login("doc", TestUsers.PASSWORD),
                "{\"interpretation\":\"Normal.\"}");
        assertThat(sign.status()).as(sign.body()).isEqualTo(201);
        // a re-score produced after the signature (e.g. of a lights-on amended after sign-off): every epoch REM
        List<RevisedHypnogram.RevisedEpoch> rem = new ArrayList<>();
        for (int i = 0; i < ReviewNight.EPOCHS; i++) {
            Instant s = ReviewNight.START.plusSeconds(30L * i);
            rem.add(new RevisedHypnogram.RevisedEpoch(i, s, s.plusSeconds(30), Stage.REM,
                    List.of(0.05, 0.05, 0.05, 0.05, 0.8), false, null));
        }
        feed.publish(RevisedHypnogram.of("bed-1", "S1", "on-amended", ReviewNight.START.minusSeconds(60),
                ReviewNight.START.plusSeconds(1200), V3, ReviewNight.START.plusSeconds(7200), rem));
        JsonObject review = get("/api/beds/bed-1/review", tech);
        long until = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
        while (review.getJsonArray("setAside").isEmpty()) { // each GET waits for the server: no sleeping
            assertThat(System.nanoTime()).as("the late re-score reaches the bed within 20 s").isLessThan(until);
            review = get("/api/beds/bed-1/review", tech);
        }
        assertThat(review.getJsonArray("setAside").getJsonObject(0).getString("trigger")).isEqualTo("on-amended");
        JsonArray epochs = review.getJsonArray("epochs");
        assertThat(epochs.getJsonObject(20).getString("startStage")).isEqualTo("N1");
        assertThat(epochs.getJsonObject(20).getString("revised")).as("the re-score the signed review started from")
                .isEqualTo("N1");
        assertThat(epochs.getJsonObject(5).getString("revised")).isEqualTo("N2");
        assertThat(review.getJsonObject("revised").getInteger("differing")).isEqualTo(2);
        assertThat(review.getJsonObject("revised").getString("producedAt"))
                .isEqualTo(ReviewNight.START.plusSeconds(1300).toString());
    }
}
