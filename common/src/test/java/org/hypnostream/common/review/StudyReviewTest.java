package org.hypnostream.common.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import org.hypnostream.common.event.LegSide;
import org.hypnostream.common.event.Stage;
import org.hypnostream.common.study.Admission;
import org.hypnostream.common.study.Population;
import org.hypnostream.common.study.StudyEvent;
import org.hypnostream.common.study.StudyEventType;
import org.hypnostream.common.study.StudyLifecycle;
import org.hypnostream.common.study.StudyProtocol;
import org.junit.jupiter.api.Test;

class StudyReviewTest {
    static final Instant T0 = Instant.parse("2026-11-20T22:00:00Z");
    final StudyLifecycle life = new StudyLifecycle("bed-1");
    final NavigableMap<Long, Instant[]> epochs = new TreeMap<>();
    int n;

    StudyReviewTest() {
        life.apply(mark(StudyEventType.ADMITTED, 0));
        life.apply(mark(StudyEventType.LIGHTS_OFF, 0));
        for (long i = 0; i < 20; i++) {
            epochs.put(i, new Instant[] {T0.plusSeconds(30 * i), T0.plusSeconds(30 * i + 30)});
        }
    }

    StudyEvent mark(StudyEventType t, long s) {
        return new StudyEvent("m" + (n++), "bed-1", "S1", t, "tech", T0.plusSeconds(s), T0.plusSeconds(s),
                t == StudyEventType.ADMITTED ? new Admission("P-0042", StudyProtocol.DIAGNOSTIC_PSG, null, Population.ADULT) : null,
                null, null);
    }

    ReviewEvent restage(long from, long to, Stage s, String reason) {
        return new ReviewEvent("r" + (n++), "bed-1", "S1", ReviewEventType.RESTAGE, "tech", T0.plusSeconds(7200), from, to, null, s,
                null, reason, null);
    }

    ReviewEvent sign() {
        return new ReviewEvent("r" + (n++), "bed-1", "S1", ReviewEventType.SIGN, "doc", T0.plusSeconds(7300), null, null, null, null,
                null, null, "ok");
    }

    void write(StudyReview r, ReviewEvent e) {
        r.check(e, life.current().orElseThrow(), epochs, Set.of("leg-1"));
        r.apply(e);
    }

    @Test
    void correctionsOverrideEpochsLatestWinsAndSignatureNeedsLightsOn() {
        StudyReview r = new StudyReview("S1");
        write(r, restage(2, 4, Stage.N2, null));
        write(r, restage(4, 4, Stage.REM, null));
        assertThat(r.restaged()).isEqualTo(Map.of(2L, Stage.N2, 3L, Stage.N2, 4L, Stage.REM));
        assertThatThrownBy(() -> write(r, sign())).isInstanceOf(ReviewRefusal.class)
                .hasMessage("study S1 is LIGHTS_OFF: it is signed after lights-on");
        life.apply(mark(StudyEventType.LIGHTS_ON, 600));
        write(r, sign());
        assertThat(r.status()).isEqualTo(ReviewStatus.SIGNED);
        assertThatThrownBy(() -> write(r, restage(1, 1, Stage.N1, null))).hasMessageContaining("a change now needs a reason");
        assertThatThrownBy(() -> write(r, sign())).hasMessageContaining("already signed by doc");
        write(r, restage(1, 1, Stage.N1, "arousal"));
        assertThat(r.status()).isEqualTo(ReviewStatus.AMENDED);
        assertThat(r.amendments()).hasSize(1);
        write(r, sign()); // signed again after the amendment: still AMENDED (FHIR: amended)
        assertThat(r.status()).isEqualTo(ReviewStatus.AMENDED);
    }

    @Test
    void refusesEpochsOutsideTheStudyUnknownLegsAndAnotherStudy() {
        StudyReview r = new StudyReview("S1");
        assertThatThrownBy(() -> write(r, restage(18, 21, Stage.W, null))).hasMessage("epoch 20 is outside study S1 (its epochs are 0..19)");
        ReviewEvent del = new ReviewEvent("d", "bed-1", "S1", ReviewEventType.DELETE_LEG, "tech", T0, null, null, null, null,
                new LegEdit("leg-9", LegSide.LEFT, T0, T0.plusSeconds(1)), null, null);
        assertThatThrownBy(() -> write(r, del)).hasMessage("no leg movement leg-9 in study S1");
        ReviewEvent add = new ReviewEvent("a", "bed-1", "S1", ReviewEventType.ADD_LEG, "tech", T0, null, null, null, null,
                new LegEdit("new", LegSide.LEFT, T0.plusSeconds(700), T0.plusSeconds(702)), null, null);
        assertThatThrownBy(() -> write(r, add)).hasMessageContaining("is outside study S1");
        StudyReview other = new StudyReview("S2");
        assertThatThrownBy(() -> other.check(restage(1, 1, Stage.W, null), life.current().orElseThrow(), epochs, Set.of()))
                .hasMessage("no study S1 on bed bed-1 to review");
        assertThat(r.events()).isEmpty();
    }

    @Test
    void addedThenDeletedLegIsGoneAndReplayIsIdempotent() {
        StudyReview r = new StudyReview("S1");
        ReviewEvent add = new ReviewEvent("a", "bed-1", "S1", ReviewEventType.ADD_LEG, "tech", T0, null, null, null, null,
                new LegEdit("new", LegSide.RIGHT, T0.plusSeconds(100), T0.plusSeconds(102)), null, null);
        write(r, add);
        assertThat(r.apply(add)).as("a re-delivery changes nothing").isFalse();
        assertThat(r.addedLegs()).containsKey("new");
        r.apply(new ReviewEvent("d", "bed-1", "S1", ReviewEventType.DELETE_LEG, "tech", T0, null, null, null, null, add.leg(), null, null));
        assertThat(r.addedLegs()).isEmpty();
        assertThat(r.deletedLegIds()).isEmpty();
    }

    @Test
    void malformedEventsAreRefusedByTheRecord() {
        assertThatThrownBy(() -> restage(5, 4, Stage.W, null)).hasMessage("RESTAGE needs epochs from <= to, both >= 0");
        assertThatThrownBy(() -> restage(1, 1, Stage.UNSCORED, null)).hasMessageContaining("not UNSCORED");
        assertThatThrownBy(() -> new LegEdit("x", LegSide.BILATERAL, T0, T0.plusSeconds(1))).hasMessageContaining("LEFT or RIGHT");
        assertThatThrownBy(() -> new LegEdit("x", LegSide.LEFT, T0, T0)).hasMessageContaining("not after its onset");
        assertThatThrownBy(() -> new ReviewEvent("e", "bed 1", "S1", ReviewEventType.SIGN, "doc", T0, null, null, null, null, null,
                null, null)).hasMessageContaining("bedId");
    }

    @Test
    void doubtOrdersEpochsFromTheLeastSure() {
        Map<Long, List<Double>> p = Map.of(0L, List.of(0.9, 0.025, 0.025, 0.025, 0.025), 1L, List.of(0.4, 0.3, 0.1, 0.1, 0.1),
                2L, List.of(0.5, 0.2, 0.1, 0.1, 0.1), 3L, List.of());
        assertThat(Doubt.ranked(p, Set.of())).containsExactly(3L, 1L, 2L, 0L);
        assertThat(Doubt.next(p, Set.of(), null)).isEqualTo(3L);
        assertThat(Doubt.next(p, Set.of(), 1L)).isEqualTo(2L);
        assertThat(Doubt.next(p, Set.of(1L), 1L)).as("1 was just corrected: go on with the next less sure").isEqualTo(2L);
        assertThat(Doubt.next(p, Set.of(), 0L)).isNull();
    }
}
