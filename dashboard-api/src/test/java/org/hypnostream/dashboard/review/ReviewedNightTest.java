package org.hypnostream.dashboard.review;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.hypnostream.common.event.RevisedHypnogram;
import org.hypnostream.common.event.Stage;
import org.hypnostream.common.event.StageEvent;
import org.hypnostream.common.review.ReviewEvent;
import org.hypnostream.common.review.ReviewEventType;
import org.hypnostream.dashboard.ReviewNight;
import org.hypnostream.dashboard.RevisedEndpointsTest;
import org.hypnostream.dashboard.export.NightExporter;
import org.hypnostream.dashboard.night.BedNight;
import org.hypnostream.dashboard.night.WardState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The morning review starts from the revised (morning re-score) hypnogram of its study where one exists: epochs the
 * re-score covers start revised, the others live; a re-score of another study, or whose epoch times do not match the
 * live ones, is not used; corrections apply on top of the revised stages; the live stages are never changed; the EDF+
 * export names the starting point. Several re-scores merge: each epoch starts from the latest (by producedAt) covering
 * it; a re-score produced after the study was signed leaves the signed starting point as it was (ADR 0021).
 */
class ReviewedNightTest {
    @TempDir
    Path dir;

    private static BedNight night(Object... extra) {
        WardState s = new WardState(InstantSource.system());
        ReviewNight.events("bed-1", "ward-a").forEach(s::apply);
        for (Object e : extra) {
            s.apply(e);
        }
        return s.bed("bed-1").orElseThrow();
    }

    private static ReviewedNight reviewed(BedNight n) {
        return ReviewedNight.of(n.bedId(), n.stages(), n.revised().orElse(null), n.legMovements(),
                n.lifecycle().current().orElseThrow(), n.review(), Instant.EPOCH);
    }

    @Test
    void epochsTheRescoreCoversStartRevisedTheOthersLive() {
        // the re-score covers epochs 0-29 (lights-on earlier than the live night's end); 7 and 20 revised to N1
        BedNight n = night(RevisedEndpointsTest.revised("bed-1", "S1", 30));
        ReviewedNight r = reviewed(n);
        assertThat(r.startsFromRevised()).isTrue();
        assertThat(r.startingPoint()).isEqualTo(RevisedHypnogram.LABEL);
        assertThat(r.stageOf(7)).isEqualTo(Stage.N1);
        assertThat(r.stageOf(20)).isEqualTo(Stage.N1);
        assertThat(r.startStages().get(7).probabilities().get(Stage.SCORED.indexOf(Stage.N1))).isEqualTo(0.8);
        assertThat(r.startStages().get(7).provenance().modelId()).isEqualTo("stager-features-welch-gru-v3");
        assertThat(r.revisedAt(7)).isTrue();
        assertThat(r.revisedAt(29)).isTrue();
        assertThat(r.revisedAt(30)).as("after the re-score's end: live").isFalse();
        assertThat(r.startStages().get(35)).isSameAs(r.modelStages().get(35));
        assertThat(r.modelStages()).extracting(StageEvent::stage).doesNotContain(Stage.N1); // live untouched
        assertThat(((java.util.Map<?, ?>) r.statistics().toMap().get("stage_min")).get("N1")).isEqualTo(1.0);
        assertThat(n.stages().stream().filter(s -> s.epochIndex() == 7).findFirst().orElseThrow().stage())
                .isEqualTo(Stage.N2);
    }

    @Test
    void aRescoreOfAnotherStudyOrWithOtherEpochTimesIsNotTheStartingPoint() {
        ReviewedNight other = reviewed(night(RevisedEndpointsTest.revised("bed-1", "OTHER", 40)));
        assertThat(other.startsFromRevised()).isFalse();
        assertThat(other.startingPoint()).isEqualTo(ReviewedNight.LIVE);
        assertThat(other.stageOf(7)).isEqualTo(Stage.N2);

        RevisedHypnogram good = RevisedEndpointsTest.revised("bed-1", "S1", 40);
        List<RevisedHypnogram.RevisedEpoch> shifted = new ArrayList<>();
        good.epochs().forEach(e -> shifted.add(new RevisedHypnogram.RevisedEpoch(e.epochIndex(),
                e.epochStart().plusSeconds(3600), e.epochEnd().plusSeconds(3600), e.stage(), e.probabilities(),
                false, null)));
        RevisedHypnogram otherSession = RevisedHypnogram.of("bed-1", "S1", "on-x", good.from(), good.until(),
                good.provenance(), good.producedAt(), shifted);
        ReviewedNight r = reviewed(night(otherSession));
        assertThat(r.startsFromRevised()).as("another session's index axis").isFalse();
        assertThat(r.stageOf(20)).isEqualTo(Stage.N2);

        assertThat(ReviewedNight.of("bed-1", night().stages(), good, List.of(), null, null, Instant.EPOCH)
                .startsFromRevised()).as("no study").isFalse();
    }

    @Test
    void correctionsApplyOnTopOfTheRevisedStagesAndTheExportNamesTheStartingPoint() throws Exception {
        Instant t = ReviewNight.START.plusSeconds(7200);
        ReviewEvent restage = new ReviewEvent("r1", "bed-1", "S1", ReviewEventType.RESTAGE, "tech", t, 19L, 20L,
                List.of(Stage.N2, Stage.N1), Stage.N3, null, null, null);
        BedNight n = night(RevisedEndpointsTest.revised("bed-1", "S1", 40), restage);
        ReviewedNight r = reviewed(n);
        assertThat(r.stageOf(19)).isEqualTo(Stage.N3);
        assertThat(r.stageOf(20)).isEqualTo(Stage.N3);
        assertThat(r.stageOf(7)).as("uncorrected: revised").isEqualTo(Stage.N1);
        assertThat(r.startStages().get(20).stage()).isEqualTo(Stage.N1);
        assertThat(r.modelStages().get(20).stage()).isEqualTo(Stage.N2);

        Path f = dir.resolve("reviewed.edf");
        NightExporter.export(n, f);
        byte[] b = Files.readAllBytes(f);
        String body = new String(b, 512, b.length - 512, StandardCharsets.UTF_8);
        assertThat(body).contains("+0\u0014Stages start from the " + RevisedHypnogram.LABEL
                        + " of stager-features-welch-gru-v3\u0014")
                .contains("+600\u001530\u0014Revised stage N1\u0014").contains("+570\u001530\u0014Revised stage N2\u0014")
                .contains("+600\u001530\u0014Sleep stage N3\u0014").contains("+210\u001530\u0014Sleep stage N1\u0014")
                .doesNotContain("Model stage");
        assertThat(Collections.frequency(List.of(body.split("\u0014")), "Revised stage N1")).isEqualTo(1);
    }

    /** A re-score of epochs [from, to) of S1, every epoch {@code stage}, produced at {@code producedAt}. */
    private static RevisedHypnogram stretch(String trigger, int from, int to, Stage stage, Instant producedAt) {
        List<RevisedHypnogram.RevisedEpoch> e = new ArrayList<>();
        for (int i = from; i < to; i++) {
            double[] p = {0.05, 0.05, 0.05, 0.05, 0.05};
            p[Stage.SCORED.indexOf(stage)] = 0.8;
            Instant s = ReviewNight.START.plusSeconds(30L * i);
            e.add(new RevisedHypnogram.RevisedEpoch(i, s, s.plusSeconds(30), stage, List.of(p[0], p[1], p[2], p[3], p[4]),
                    false, null));
        }
        return RevisedHypnogram.of("bed-1", "S1", trigger, ReviewNight.START.plusSeconds(30L * from),
                ReviewNight.START.plusSeconds(30L * to), org.hypnostream.common.event.Provenance.model(
                "stager-features-welch-gru-v3", "cd".repeat(32), "CPU"), producedAt, e);
    }

    private static ReviewedNight merged(BedNight n) {
        return ReviewedNight.of(n.bedId(), n.stages(), n.revisions(), n.legMovements(),
                n.lifecycle().current().orElseThrow(), n.review(), Instant.EPOCH);
    }

    @Test
    void eachEpochStartsFromTheLatestReScoreCoveringItStretchesMerge() {
        RevisedHypnogram night = RevisedEndpointsTest.revised("bed-1", "S1", 30); // epochs 0-29, 7 and 20 N1
        RevisedHypnogram later = stretch("q-later", 10, 15, Stage.N3, night.producedAt().plusSeconds(600));
        RevisedHypnogram earlier = stretch("q-earlier", 5, 9, Stage.REM, night.producedAt().minusSeconds(600));
        BedNight n = night(night, later, earlier); // arrival order is not what decides: producedAt is
        assertThat(n.revised()).as("the bed view shows the last arrived").contains(earlier);
        ReviewedNight r = merged(n);
        assertThat(r.stageOf(12)).as("the later stretch covers it").isEqualTo(Stage.N3);
        assertThat(r.stageOf(10)).isEqualTo(Stage.N3);
        assertThat(r.stageOf(15)).as("only the night covers it").isEqualTo(Stage.N2);
        assertThat(r.stageOf(7)).as("the night is later than the earlier stretch").isEqualTo(Stage.N1);
        assertThat(r.stageOf(20)).isEqualTo(Stage.N1);
        assertThat(r.revisedAt(29)).isTrue();
        assertThat(r.revisedAt(30)).as("no re-score covers it: live").isFalse();
        assertThat(r.startStages().get(35)).isSameAs(r.modelStages().get(35));
        assertThat(r.sources()).containsExactly(night, later);
        assertThat(r.revised()).isEqualTo(later);
        assertThat(r.setAside()).isEmpty();

        ReviewedNight stretchOnly = merged(night(stretch("q-only", 10, 15, Stage.N3, Instant.EPOCH)));
        assertThat(stretchOnly.revisedAt(12)).isTrue();
        assertThat(stretchOnly.revisedAt(7)).as("outside the only stretch: live").isFalse();
        assertThat(stretchOnly.stageOf(7)).isEqualTo(Stage.N2);
    }

    @Test
    void aReScoreProducedAfterSignOffDoesNotChangeTheSignedStartingPoint() {
        RevisedHypnogram night = RevisedEndpointsTest.revised("bed-1", "S1", 40);
        Instant signedAt = night.producedAt().plusSeconds(3600);
        ReviewEvent sign = new ReviewEvent("sign-1", "bed-1", "S1", ReviewEventType.SIGN, "doc", signedAt, null, null,
                null, null, null, null, "Normal.");
        // an amended lights-on after sign-off re-scores the night again: every epoch REM
        RevisedHypnogram amended = stretch("on-amended", 0, 40, Stage.REM, signedAt.plusSeconds(60));
        ReviewedNight signedBefore = merged(night(night, sign));
        ReviewedNight signedAfter = merged(night(night, sign, amended));
        assertThat(signedAfter.startStages()).isEqualTo(signedBefore.startStages());
        assertThat(signedAfter.stages()).isEqualTo(signedBefore.stages());
        assertThat(signedAfter.statistics()).isEqualTo(signedBefore.statistics());
        assertThat(signedAfter.stageOf(7)).isEqualTo(Stage.N1);
        assertThat(signedAfter.sources()).containsExactly(night);
        assertThat(signedAfter.setAside()).containsExactly(amended);
        io.vertx.core.json.JsonObject json = ReviewJson.of(signedAfter, false);
        assertThat(json.getJsonArray("setAside").getJsonObject(0).getString("trigger")).isEqualTo("on-amended");
        assertThat(json.getJsonArray("startSources").getJsonObject(0).getString("trigger")).isEqualTo("on-bed-1");

        ReviewedNight unsigned = merged(night(night, amended));
        assertThat(unsigned.stageOf(7)).as("not signed: the newer re-score is the starting point").isEqualTo(Stage.REM);
        assertThat(unsigned.setAside()).isEmpty();
    }
}
