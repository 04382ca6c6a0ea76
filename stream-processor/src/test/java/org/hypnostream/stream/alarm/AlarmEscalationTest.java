package org.hypnostream.stream.alarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hypnostream.common.event.AlarmNotice;
import org.hypnostream.common.event.Alert;
import org.hypnostream.common.event.AlertAction;
import org.hypnostream.common.event.AlertPriority;
import org.hypnostream.common.event.AlertState;
import org.hypnostream.common.time.ManualClock;
import org.junit.jupiter.api.Test;

class AlarmEscalationTest {
    private static final Instant T0 = Instant.parse("2026-03-01T23:00:00Z");
    private final ManualClock clock = new ManualClock(T0);
    private final AlarmEscalation policy = new AlarmEscalation(EscalationConfig.defaults(), clock);
    private final BedEscalations bed = new BedEscalations();

    private static Alert alert(String id, boolean physiological, String code, AlertPriority p, AlertState state, Instant at) {
        return new Alert(id, "bed-1", physiological, code, p, state, "msg", T0, at, null, null);
    }

    private static Alert plmMedium(AlertState state, Instant at) {
        return alert("a1", true, "PLMS_INDEX_HIGH", AlertPriority.MEDIUM, state, at);
    }

    private static AlertAction action(String id, String action, String user, Instant at, long seconds) {
        return new AlertAction(id, "bed-1", action, user, at, seconds, null);
    }

    /** Ticks every 30 s up to {@code until}, collecting every notice. */
    private List<AlarmNotice> runUntil(Instant until) {
        List<AlarmNotice> out = new ArrayList<>();
        while (clock.instant().isBefore(until)) {
            clock.advance(Duration.ofSeconds(30));
            out.addAll(policy.tick(bed, "bed-1"));
        }
        return out;
    }

    private static List<String> kinds(List<AlarmNotice> ns) {
        return ns.stream().map(n -> n.kind() + n.number()).toList();
    }

    @Test
    void anUnacknowledgedMediumPlmFindingIsRemindedEveryTwoMinutesAndEscalatedOnceAfterTen() {
        policy.onAlert(bed, plmMedium(AlertState.ACTIVE, T0));
        List<AlarmNotice> ns = runUntil(T0.plus(Duration.ofMinutes(9).plusSeconds(30)));
        assertThat(kinds(ns)).containsExactly("REMINDER1", "REMINDER2", "REMINDER3", "REMINDER4");
        assertThat(ns.get(0).at()).isEqualTo(T0.plus(Duration.ofMinutes(2)));
        assertThat(ns).allSatisfy(n -> assertThat(n.targetRole()).isNull());

        ns = runUntil(T0.plus(Duration.ofMinutes(30)));
        List<AlarmNotice> esc = ns.stream().filter(n -> n.kind().equals(AlarmNotice.ESCALATED)).toList();
        assertThat(esc).hasSize(1);
        AlarmNotice e = esc.get(0);
        assertThat(e.at()).isEqualTo(T0.plus(Duration.ofMinutes(10)));
        assertThat(e.targetRole()).isEqualTo("physician");
        assertThat(e.by()).isEqualTo(AlarmEscalation.ACTOR);
        assertThat(e.noticeId()).isEqualTo("a1:ESCALATED:1");
        assertThat(e.code()).isEqualTo("PLMS_INDEX_HIGH");
        // reminders go on after the escalation, now also to the escalation target
        assertThat(ns.stream().filter(n -> n.kind().equals(AlarmNotice.REMINDER)).toList())
                .isNotEmpty().allSatisfy(n -> assertThat(n.targetRole()).isEqualTo("physician"));
    }

    @Test
    void aTechnicalAlarmEscalatesToTheTechnologistAfterFiveMinutes() {
        policy.onAlert(bed, alert("t1", false, "STREAM_STALLED", AlertPriority.MEDIUM, AlertState.ACTIVE, T0));
        List<AlarmNotice> ns = runUntil(T0.plus(Duration.ofMinutes(6)));
        AlarmNotice e = ns.stream().filter(n -> n.kind().equals(AlarmNotice.ESCALATED)).findFirst().orElseThrow();
        assertThat(e.at()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
        assertThat(e.targetRole()).isEqualTo("technologist");
    }

    @Test
    void acknowledgedStopsRemindersAndEscalation() {
        policy.onAlert(bed, plmMedium(AlertState.ACTIVE, T0));
        assertThat(kinds(runUntil(T0.plus(Duration.ofMinutes(3))))).containsExactly("REMINDER1");
        policy.onAction(bed, action("a1", AlertAction.ACKNOWLEDGE, "nurse.jones", clock.instant(), 0));
        assertThat(runUntil(T0.plus(Duration.ofHours(2)))).isEmpty();
        assertThat(bed.alerts.get("a1").acknowledgedBy()).isEqualTo("nurse.jones");
    }

    @Test
    void theAlertsOwnAcknowledgedStateAlsoStopsIt() {
        policy.onAlert(bed, plmMedium(AlertState.ACTIVE, T0));
        policy.onAlert(bed, plmMedium(AlertState.ACKNOWLEDGED, T0.plusSeconds(10)));
        assertThat(runUntil(T0.plus(Duration.ofHours(1)))).isEmpty();
    }

    @Test
    void audioPausedSilencesRemindersButNotTheEscalationClock() {
        policy.onAlert(bed, plmMedium(AlertState.ACTIVE, T0));
        policy.onAction(bed, action("a1", AlertAction.AUDIO_PAUSED, "nurse.jones", T0.plusSeconds(30), 15 * 60));
        List<AlarmNotice> ns = runUntil(T0.plus(Duration.ofMinutes(15)));
        assertThat(kinds(ns)).as("paused until 15:30: no reminder, but the escalation at 10 min").containsExactly("ESCALATED1");
        ns = runUntil(T0.plus(Duration.ofMinutes(16)));
        assertThat(kinds(ns)).as("the pause is over: reminded again").containsExactly("REMINDER1");
    }

    @Test
    void alarmOffStopsRemindersAndEscalationOfTheConditionUntilAlarmOnRestartsTheClock() {
        policy.onAlert(bed, plmMedium(AlertState.ACTIVE, T0));
        policy.onAction(bed, action("a1", AlertAction.ALARM_OFF, "dr.house", T0.plusSeconds(60), 0));
        assertThat(bed.alarmOff).containsKey("PLMS_INDEX_HIGH");
        assertThat(runUntil(T0.plus(Duration.ofMinutes(30)))).isEmpty();
        // a second alert of the same condition is off as well
        policy.onAlert(bed, alert("a2", true, "PLMS_INDEX_HIGH", AlertPriority.MEDIUM, AlertState.ACTIVE, clock.instant()));
        assertThat(runUntil(T0.plus(Duration.ofMinutes(45)))).isEmpty();

        Instant on = clock.instant();
        policy.onAction(bed, action("a1", AlertAction.ALARM_ON, "dr.house", on, 0));
        List<AlarmNotice> ns = runUntil(on.plus(Duration.ofMinutes(10)));
        assertThat(ns.stream().filter(n -> n.kind().equals(AlarmNotice.ESCALATED)).map(AlarmNotice::at))
                .as("the escalation clock starts at ALARM_ON, for both alerts")
                .containsExactly(on.plus(Duration.ofMinutes(10)), on.plus(Duration.ofMinutes(10)));
    }

    @Test
    void aClearedAlertIsForgottenAndAnActionBeforeItsAlertIsKept() {
        policy.onAction(bed, action("a1", AlertAction.ACKNOWLEDGE, "nurse.jones", T0, 0));
        policy.onAlert(bed, plmMedium(AlertState.ACTIVE, T0));
        assertThat(runUntil(T0.plus(Duration.ofMinutes(20)))).as("acknowledged before its record came").isEmpty();
        policy.onAlert(bed, plmMedium(AlertState.CLEARED, clock.instant()));
        assertThat(bed.alerts).isEmpty();
    }

    @Test
    void anActionWhoseAlertNeverComesIsDroppedAfterAnHour() {
        policy.onAction(bed, action("ghost", AlertAction.ACKNOWLEDGE, "nurse.jones", T0, 0));
        assertThat(runUntil(T0.plus(Duration.ofMinutes(59)))).isEmpty();
        assertThat(bed.alerts).containsKey("ghost");
        runUntil(T0.plus(Duration.ofMinutes(61)));
        assertThat(bed.alerts).isEmpty();
    }

    @Test
    void aLowPhysiologicalAlarmIsRemindedButNeverEscalatedByDefault() {
        policy.onAlert(bed, alert("l1", true, "PLMS_INDEX_HIGH", AlertPriority.LOW, AlertState.ACTIVE, T0));
        List<AlarmNotice> ns = runUntil(T0.plus(Duration.ofHours(1)));
        assertThat(ns).isNotEmpty().allSatisfy(n -> assertThat(n.kind()).isEqualTo(AlarmNotice.REMINDER));
    }

    @Test
    void aLongOutageGivesOneReminderNotABurst() {
        policy.onAlert(bed, alert("t1", false, "STREAM_STALLED", AlertPriority.MEDIUM, AlertState.ACTIVE, T0));
        clock.advance(Duration.ofMinutes(30));
        assertThat(kinds(policy.tick(bed, "bed-1"))).containsExactly("ESCALATED1", "REMINDER1");
        assertThat(policy.tick(bed, "bed-1")).isEmpty();
    }

    @Test
    void configuredTargetsAndIntervalsAreUsed() {
        EscalationConfig c = new EscalationConfig(Duration.ofMinutes(1), Duration.ofMinutes(1), Duration.ofMinutes(3),
                Duration.ZERO, Duration.ofMinutes(2), "admin", "physician", "ward-night", 5);
        AlarmEscalation p = new AlarmEscalation(c, clock);
        p.onAlert(bed, plmMedium(AlertState.ACTIVE, T0));
        clock.advance(Duration.ofMinutes(3));
        List<AlarmNotice> ns = p.tick(bed, "bed-1");
        AlarmNotice e = ns.stream().filter(n -> n.kind().equals(AlarmNotice.ESCALATED)).findFirst().orElseThrow();
        assertThat(e.targetRole()).isEqualTo("admin");
        assertThat(e.targetWard()).isEqualTo("ward-night");
    }
}
