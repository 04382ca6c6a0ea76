package org.hypnostream.stream.plm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.hypnostream.common.event.Alert;
import org.hypnostream.common.event.AlertAction;
import org.hypnostream.common.event.AlertPriority;
import org.hypnostream.common.event.AlertState;
import org.hypnostream.common.time.ManualClock;
import org.junit.jupiter.api.Test;

class AlarmPolicyTest {
    private static final Instant T0 = Instant.parse("2026-03-01T23:00:00Z");
    private final ManualClock clock = new ManualClock(T0);
    private final AlarmPolicy policy = new AlarmPolicy(clock, 3);
    private final BedAlarms bed = new BedAlarms();

    private List<Alert> plm(boolean active) {
        return policy.update(bed, "bed-1", "PLMS_INDEX_HIGH", "PLMS_INDEX_HIGH", true, AlertPriority.LOW, "PLMS", active);
    }

    private List<Alert> flat(boolean active) {
        return policy.update(bed, "bed-1", "LEG_CHANNEL_FLAT:LEFT", "LEG_CHANNEL_FLAT", false, AlertPriority.LOW,
                "flat", active);
    }

    private AlertAction ack(Alert a, String user) {
        return new AlertAction(a.alertId(), "bed-1", "ACKNOWLEDGE", user, clock.instant(), 0, null);
    }

    @Test
    void physiologicalAlarmLatchesUntilANamedUserAcknowledges() {
        Alert raised = plm(true).get(0);
        assertThat(raised.state()).isEqualTo(AlertState.ACTIVE);
        assertThat(raised.physiological()).isTrue();
        assertThat(plm(true)).as("still true: no repeat").isEmpty();
        assertThat(plm(false)).as("condition over, still latched").isEmpty();
        assertThat(bed.byKey.get("PLMS_INDEX_HIGH").state()).isEqualTo(AlertState.ACTIVE);
        clock.advance(Duration.ofMinutes(5));
        Alert cleared = policy.apply(bed, ack(raised, "nurse.jones")).get(0);
        assertThat(cleared.state()).isEqualTo(AlertState.CLEARED);
        assertThat(cleared.actor()).isEqualTo("nurse.jones");
        assertThat(cleared.updatedAt()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
        assertThat(bed.audit).extracting(AlertAction::user).containsExactly("nurse.jones");
    }

    @Test
    void acknowledgedWhileTrueClearsWhenTheConditionEnds() {
        Alert raised = plm(true).get(0);
        assertThat(policy.apply(bed, ack(raised, "dr.lee")).get(0).state()).isEqualTo(AlertState.ACKNOWLEDGED);
        assertThat(plm(true)).isEmpty();
        assertThat(plm(false).get(0).state()).isEqualTo(AlertState.CLEARED);
        Alert again = plm(true).get(0);
        assertThat(again.state()).isEqualTo(AlertState.ACTIVE);
        assertThat(again.alertId()).as("a new raise is a new alert").isNotEqualTo(raised.alertId());
    }

    @Test
    void technicalAlarmClearsItself() {
        assertThat(flat(true).get(0).physiological()).isFalse();
        assertThat(flat(false).get(0).state()).isEqualTo(AlertState.CLEARED);
    }

    @Test
    void silenceLastsItsPeriodThenTheAlarmReturns() {
        Alert raised = plm(true).get(0);
        Alert silenced = policy.apply(bed,
                new AlertAction(raised.alertId(), "bed-1", "SILENCE", "nurse.jones", T0, 300, "turning patient")).get(0);
        assertThat(silenced.state()).isEqualTo(AlertState.SILENCED);
        assertThat(silenced.silencedUntil()).isEqualTo(T0.plusSeconds(300));
        clock.advance(Duration.ofSeconds(299));
        assertThat(policy.tick(bed)).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        List<Alert> back = policy.tick(bed);
        assertThat(back).hasSize(1);
        assertThat(back.get(0).state()).isEqualTo(AlertState.ACTIVE);
    }

    @Test
    void atMostCapAlarmsPerBedPerHour() {
        for (String side : List.of("A", "B", "C", "D")) {
            policy.update(bed, "bed-1", "X:" + side, "X", false, AlertPriority.LOW, "x", true);
        }
        assertThat(bed.byKey).hasSize(3);
        assertThat(bed.suppressedByCap).isEqualTo(1);
        clock.advance(Duration.ofMinutes(59));
        assertThat(policy.update(bed, "bed-1", "X:E", "X", false, AlertPriority.LOW, "x", true)).isEmpty();
        clock.advance(Duration.ofMinutes(1));
        assertThat(policy.update(bed, "bed-1", "X:E", "X", false, AlertPriority.LOW, "x", true)).hasSize(1);
    }

    @Test
    void actionsOnUnknownAlertsAreKeptInTheAuditTrailOnly() {
        AlertAction a = new AlertAction("bed-1:NOPE:1", "bed-1", "ACKNOWLEDGE", "nurse.jones", T0, 0, null);
        assertThat(policy.apply(bed, a)).isEmpty();
        assertThat(bed.audit).containsExactly(a);
    }

    @Test
    void alarmOffAndOnAreAuditedButChangeNoAlertState() {
        Alert raised = plm(true).get(0);
        AlertAction off = new AlertAction(raised.alertId(), "bed-1", AlertAction.ALARM_OFF, "dr.house", T0, 0, "known");
        assertThat(policy.apply(bed, off)).as("not mistaken for a silence").isEmpty();
        assertThat(policy.tick(bed)).isEmpty();
        assertThat(bed.byKey.get("PLMS_INDEX_HIGH").state()).isEqualTo(AlertState.ACTIVE);
        AlertAction on = new AlertAction(raised.alertId(), "bed-1", AlertAction.ALARM_ON, "dr.house", T0, 0, null);
        assertThat(policy.apply(bed, on)).isEmpty();
        assertThat(bed.audit).containsExactly(off, on);
    }
}
