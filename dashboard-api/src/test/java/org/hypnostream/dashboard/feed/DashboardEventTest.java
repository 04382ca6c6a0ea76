package org.hypnostream.dashboard.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hypnostream.common.event.AlarmNotice;
import org.hypnostream.common.event.Alert;
import org.hypnostream.common.event.AlertAction;
import org.hypnostream.common.event.AlertPriority;
import org.hypnostream.common.event.AlertState;
import org.hypnostream.common.event.BedInfo;
import org.hypnostream.common.event.LegMovementEvent;
import org.hypnostream.common.event.LegSide;
import org.hypnostream.common.event.NeuromuscularEvent;
import org.hypnostream.common.event.PlmEvent;
import org.hypnostream.common.event.RevisedHypnogram;
import org.hypnostream.common.event.Stage;
import org.hypnostream.common.event.StageEvent;
import org.hypnostream.common.review.ReviewEvent;
import org.hypnostream.common.review.ReviewEventType;
import org.hypnostream.common.study.BedsideEvent;
import org.hypnostream.common.study.BedsideEventType;
import org.hypnostream.common.study.BodyPosition;
import org.hypnostream.common.study.StudyEvent;
import org.hypnostream.dashboard.ReviewNight;
import org.hypnostream.dashboard.RevisedEndpointsTest;
import org.hypnostream.dashboard.TestEvents;
import org.hypnostream.dashboard.eeg.EegFrame;
import org.hypnostream.dashboard.eeg.EmgTrace;
import org.hypnostream.dashboard.night.WardState;
import org.junit.jupiter.api.Test;

/** Every kind the dashboard consumes becomes its own {@link DashboardEvent}, and a visitor reaches each by its kind. */
class DashboardEventTest {
    private static final Instant AT = TestEvents.START.plusSeconds(600);

    /** One decoded value of every kind, in the order of {@link DashboardEvent.Visitor}'s methods. */
    private static List<Object> oneOfEach() {
        Alert alert = TestEvents.alert("bed-1", "a1", AlertPriority.HIGH, "PLMS_INDEX_HIGH");
        List<Object> out = new ArrayList<>();
        out.add(TestEvents.bed("bed-1", "ward-a"));
        out.add(TestEvents.stage("bed-1", 0));
        out.add(TestEvents.leg("bed-1", LegSide.LEFT, 10));
        out.add(TestEvents.plm("bed-1", "s1", "CANDIDATE", 100, 1, 1, 1.0));
        out.add(alert);
        out.add(new AlertAction("a1", "bed-1", "ACKNOWLEDGE", "nurse", AT, 0, null));
        out.add(new AlarmNotice("a1:REMINDER:1", "a1", "bed-1", alert.code(), alert.priority(), true, AlarmNotice.REMINDER, 1,
                null, null, AT, "system:alarm-escalation", "reminder"));
        out.add(TestEvents.emgWindow("bed-1", "rec-a", 0, 0.8, 0.7, false).get(0));
        out.add(ReviewNight.events("bed-1", "ward-a").stream().filter(StudyEvent.class::isInstance).findFirst().orElseThrow());
        out.add(new BedsideEvent("b1", "bed-1", "S1", BedsideEventType.POSITION_CHANGE, BodyPosition.LEFT, null, "nurse", AT,
                AT.plusSeconds(1)));
        out.add(new ReviewEvent("r1", "bed-1", "S1", ReviewEventType.RESTAGE, "tech", AT, 1L, 2L,
                List.of(Stage.N2, Stage.N1), Stage.N3, null, null, null));
        out.add(RevisedEndpointsTest.revised("bed-1", "S1", 3));
        out.add(EegFrame.from(TestEvents.epoch("bed-1", 0, false)));
        out.add(EmgTrace.from(TestEvents.emgSegment("bed-1", "rec-a", 0)));
        return out;
    }

    /** Names the visitor method that was called, with the value it got. */
    private static final class Naming implements DashboardEvent.Visitor<String> {
        final List<Object> got = new ArrayList<>();

        private String called(String name, Object v) {
            got.add(v);
            return name;
        }

        @Override
        public String bedInfo(BedInfo e) {
            return called("bedInfo", e);
        }

        @Override
        public String stage(StageEvent e) {
            return called("stage", e);
        }

        @Override
        public String leg(LegMovementEvent e) {
            return called("leg", e);
        }

        @Override
        public String plm(PlmEvent e) {
            return called("plm", e);
        }

        @Override
        public String alert(Alert e) {
            return called("alert", e);
        }

        @Override
        public String alertAction(AlertAction e) {
            return called("alertAction", e);
        }

        @Override
        public String alarmNotice(AlarmNotice e) {
            return called("alarmNotice", e);
        }

        @Override
        public String neuromuscular(NeuromuscularEvent e) {
            return called("neuromuscular", e);
        }

        @Override
        public String study(StudyEvent e) {
            return called("study", e);
        }

        @Override
        public String bedside(BedsideEvent e) {
            return called("bedside", e);
        }

        @Override
        public String review(ReviewEvent e) {
            return called("review", e);
        }

        @Override
        public String revised(RevisedHypnogram e) {
            return called("revised", e);
        }

        @Override
        public String eegFrame(EegFrame e) {
            return called("eegFrame", e);
        }

        @Override
        public String emgTrace(EmgTrace e) {
            return called("emgTrace", e);
        }
    }

    @Test
    void everyConsumedKindIsWrappedAndVisitedByItsOwnMethod() {
        List<Object> values = oneOfEach();
        Naming v = new Naming();
        List<String> called = values.stream().map(DashboardEvent::of).map(e -> e.accept(v)).toList();
        assertThat(called).containsExactly("bedInfo", "stage", "leg", "plm", "alert", "alertAction", "alarmNotice",
                "neuromuscular", "study", "bedside", "review", "revised", "eegFrame", "emgTrace");
        assertThat(v.got).containsExactlyElementsOf(values);
        assertThat(DashboardEvent.class.getPermittedSubclasses()).as("one record per visitor method")
                .hasSize(DashboardEvent.Visitor.class.getDeclaredMethods().length);
        for (Object value : values) {
            DashboardEvent e = DashboardEvent.of(value);
            assertThat(e.value()).isSameAs(value);
            assertThat(e.bedId()).isEqualTo("bed-1");
        }
    }

    @Test
    void aTypeTheDashboardDoesNotConsumeIsRefusedByName() {
        assertThatThrownBy(() -> DashboardEvent.of(TestEvents.epoch("bed-1", 0, false)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("unsupported event Epoch");
        assertThatThrownBy(() -> DashboardEvent.of(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unsupported event null");
        assertThatThrownBy(() -> new DashboardEvent.OfStage(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void displayFramesAreNotPartOfANight() {
        WardState ward = new WardState(() -> AT);
        assertThatThrownBy(() -> ward.apply(DashboardEvent.of(EegFrame.from(TestEvents.epoch("bed-1", 0, false)))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unsupported event EegFrame");
        assertThat(ward.beds()).as("no bed made from a frame").isEmpty();
        assertThat(ward.apply(DashboardEvent.of(TestEvents.stage("bed-1", 0)))).isPresent();
    }
}
