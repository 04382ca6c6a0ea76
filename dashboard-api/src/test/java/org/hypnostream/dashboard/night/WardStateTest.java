package org.hypnostream.dashboard.night;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.hypnostream.common.event.AlertAction;
import org.hypnostream.common.event.AlertPriority;
import org.hypnostream.common.event.LegSide;
import org.hypnostream.common.time.ManualClock;
import org.hypnostream.dashboard.TestEvents;
import org.hypnostream.dashboard.auth.User;
import org.junit.jupiter.api.Test;

class WardStateTest {
    final ManualClock clock = new ManualClock(TestEvents.START);
    final WardState state = new WardState(clock);

    @Test
    void numbersEveryChangeOncePerBedAndIgnoresReDeliveries() {
        assertThat(state.apply(TestEvents.bed("bed-1", "ward-a")).orElseThrow().seq()).isEqualTo(1);
        assertThat(state.apply(TestEvents.stage("bed-1", 0)).orElseThrow().seq()).isEqualTo(2);
        assertThat(state.apply(TestEvents.stage("bed-2", 0)).orElseThrow().seq()).isEqualTo(1);
        assertThat(state.apply(TestEvents.stage("bed-1", 0))).as("re-delivered epoch").isEmpty();
        assertThat(state.apply(TestEvents.leg("bed-1", LegSide.LEFT, 10)).orElseThrow().kind()).isEqualTo("leg");
        assertThat(state.apply(TestEvents.leg("bed-1", LegSide.LEFT, 10))).isEmpty();
        var a = TestEvents.alert("bed-1", "a1", AlertPriority.HIGH, "PLMS_INDEX_HIGH");
        assertThat(state.apply(a).orElseThrow().seq()).isEqualTo(4);
        assertThat(state.apply(a)).isEmpty();
        AlertAction ack = new AlertAction("a1", "bed-1", "ACKNOWLEDGE", "nurse", TestEvents.START.plusSeconds(700), 0, null);
        assertThat(state.apply(ack).orElseThrow().data().getString("user")).isEqualTo("nurse");
        assertThat(state.apply(ack)).isEmpty();
        BedNight n = state.bed("bed-1").orElseThrow();
        assertThat(n.seq()).isEqualTo(5);
        assertThat(n.stages()).hasSize(1);
        assertThat(n.legMovements()).hasSize(1);
        assertThat(n.actions()).hasSize(1);
        assertThat(n.toJson().getJsonArray("stages").getJsonObject(0).getJsonArray("p")).hasSize(5);
    }

    @Test
    void aBedWithoutBedInfoHasNoWardAndOnlyAdminsMaySeeIt() {
        BedUpdate u = state.apply(TestEvents.stage("bed-9", 0)).orElseThrow();
        assertThat(u.ward()).isNull();
        assertThat(new User("nurse", Set.of("ward-a")).maySee(u.ward())).isFalse();
        assertThat(new User("admin", Set.of("*")).maySee(u.ward())).isTrue();
        BedUpdate later = state.apply(TestEvents.bed("bed-9", "ward-a")).orElseThrow();
        assertThat(later.kind()).isEqualTo("bed");
        assertThat(later.ward()).isEqualTo("ward-a");
    }

    @Test
    void lastEventAtMovesWithDataEventsOnlyNotWithAlarms() {
        state.apply(TestEvents.stage("bed-1", 0));
        Instant first = clock.instant();
        clock.advance(Duration.ofMinutes(5));
        state.apply(TestEvents.alert("bed-1", "a1", AlertPriority.LOW, "STREAM_STALLED"));
        assertThat(state.bed("bed-1").orElseThrow().lastEventAt()).isEqualTo(first);
        state.apply(TestEvents.stage("bed-1", 1));
        assertThat(state.bed("bed-1").orElseThrow().lastEventAt()).isEqualTo(clock.instant());
    }

    @Test
    void plmSeriesKeepTheirFirstOnsetAndLatestState() {
        state.apply(TestEvents.plm("bed-1", "s1", "CANDIDATE", 100, 1, 1, 1.0));
        state.apply(TestEvents.plm("bed-1", "s1", "CONFIRMED", 160, 4, 4, 3.5));
        BedNight n = state.bed("bed-1").orElseThrow();
        BedNight.PlmSeries s = n.plmSeries().iterator().next();
        assertThat(s.state()).isEqualTo("CONFIRMED");
        assertThat(s.firstOnset()).isEqualTo(TestEvents.START.plusSeconds(100));
        assertThat(s.lastOffset()).isEqualTo(TestEvents.START.plusSeconds(160).plusMillis(1500));
        assertThat(n.plmIndices().plmsIndex()).isEqualTo(3.5);
    }

    @Test
    void badBedIdsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> state.apply(TestEvents.stage("bed 1/../x", 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad bed id");
        assertThatThrownBy(() -> state.apply("not an event")).hasMessageContaining("unsupported event String");
    }

    @Test
    void needleEmgWindowsAccumulatePerRecordingAndTheVerdictBecomesFinal() {
        for (long i = 0; i < 5; i++) {
            for (var e : TestEvents.emgWindow("emg-1", "rec-a", i, 0.8, 0.7 + i * 0.01, i == 4)) {
                assertThat(state.apply(e)).as("window %d %s", i, e.kind()).isPresent();
            }
        }
        assertThat(state.apply(TestEvents.emgWindow("emg-1", "rec-a", 2, 0.8, 0.72, false).get(0))).as("re-delivery").isEmpty();
        BedNight n = state.bed("emg-1").orElseThrow();
        assertThat(n.emgWindows()).hasSize(5);
        assertThat(n.emgVerdict().isFinal()).isTrue();
        var emg = n.toJson().getJsonObject("emg");
        assertThat(emg.getJsonArray("windows")).hasSize(5);
        assertThat(emg.getJsonArray("windows").getJsonObject(4).getJsonArray("p").getDouble(0)).isEqualTo(0.8);
        assertThat(emg.getJsonObject("verdict").getBoolean("isFinal")).isTrue();
        assertThat(emg.getJsonObject("verdict").getLong("windowsSoFar")).isEqualTo(5);
        // the next recording on the bed replaces the screening shown
        state.apply(TestEvents.emgWindow("emg-1", "rec-b", 0, 0.1, 0.1, false).get(0));
        assertThat(n.emgWindows()).hasSize(1);
        assertThat(n.emgVerdict()).isNull();
    }

    @Test
    void aRevisedHypnogramIsOneNumberedChangeOfItsOwnKindAndARedeliveryNone() {
        for (Object e : org.hypnostream.dashboard.ReviewNight.events("bed-1", "ward-a")) {
            state.apply(e);
        }
        var h = org.hypnostream.dashboard.RevisedEndpointsTest.revised("bed-1", "S1", 4);
        BedUpdate u = state.apply(h).orElseThrow();
        assertThat(u.kind()).isEqualTo("revised");
        assertThat(u.data().getString("label")).isEqualTo("revised (non-causal, morning re-score)");
        assertThat(u.data().getJsonArray("stages")).hasSize(4);
        assertThat(u.statistics()).as("statistics pushed with it").isNotNull();
        assertThat(state.apply(h)).isEmpty();
        assertThat(state.bed("bed-1").orElseThrow().revised()).contains(h);
    }
}
