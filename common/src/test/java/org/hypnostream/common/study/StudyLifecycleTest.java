package org.hypnostream.common.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.hypnostream.common.event.JsonCodec;
import org.hypnostream.common.topic.Topics;
import org.junit.jupiter.api.Test;

/** The lifecycle's order rules, each refusal with its message, idempotent replay, and the contract's validation. */
class StudyLifecycleTest {
    static final Instant T0 = Instant.parse("2026-11-20T21:30:00Z");
    static final Instant NOW = T0.plusSeconds(3 * 3600);
    int ids;

    StudyEvent ev(String study, StudyEventType type, Instant t) {
        return new StudyEvent("e" + ++ids, "bed-1", study, type, "nurse1", NOW, t, type == StudyEventType.ADMITTED
                ? new Admission("P-0042", StudyProtocol.DIAGNOSTIC_PSG, "AASM", Population.CHILD) : null, null, null);
    }

    StudyEvent amend(StudyEventType what, Instant t, String reason) {
        return new StudyEvent("e" + ++ids, "bed-1", "S1", StudyEventType.AMENDED, "tech1", NOW, t, null, what, reason);
    }

    BedsideEvent bedside(String study, Instant t) {
        return new BedsideEvent("b" + ++ids, "bed-1", study, BedsideEventType.BATHROOM_BREAK, null, null, "nurse1", NOW, t);
    }

    StudyLifecycle admitted() {
        StudyLifecycle l = new StudyLifecycle("bed-1");
        StudyEvent a = ev("S1", StudyEventType.ADMITTED, T0);
        l.check(a, NOW);
        assertThat(l.apply(a)).isTrue();
        return l;
    }

    @Test
    void aWholeNightGoesAdmittedLightsOffLightsOnEnded() {
        StudyLifecycle l = admitted();
        assertThat(l.state()).isEqualTo(StudyState.ADMITTED);
        l.apply(ev("S1", StudyEventType.LIGHTS_OFF, T0.plusSeconds(1800)));
        assertThat(l.state()).isEqualTo(StudyState.LIGHTS_OFF);
        l.check(bedside("S1", T0.plusSeconds(3600)), NOW);
        l.apply(ev("S1", StudyEventType.LIGHTS_ON, T0.plusSeconds(7200)));
        l.apply(ev("S1", StudyEventType.ENDED, T0.plusSeconds(7300)));
        Study s = l.current().orElseThrow();
        assertThat(s.state()).isEqualTo(StudyState.ENDED);
        assertThat(s.lightsOff()).isEqualTo(T0.plusSeconds(1800));
        assertThat(s.marks()).extracting(StudyEvent::type).containsExactly(StudyEventType.ADMITTED,
                StudyEventType.LIGHTS_OFF, StudyEventType.LIGHTS_ON, StudyEventType.ENDED);
        assertThat(s.admission().population()).isEqualTo(Population.CHILD);
        // a new study may follow on the same bed, not with the same id
        assertThatThrownBy(() -> l.check(ev("S1", StudyEventType.ADMITTED, T0.plusSeconds(7400)), NOW))
                .hasMessageContaining("already used");
        l.check(ev("S2", StudyEventType.ADMITTED, T0.plusSeconds(7400)), NOW);
    }

    @Test
    void refusalsSayWhy() {
        StudyLifecycle l = admitted();
        assertThatThrownBy(() -> l.check(ev("S1", StudyEventType.LIGHTS_ON, T0.plusSeconds(60)), NOW))
                .isInstanceOf(StudyRefusal.class).hasMessage("lights-on before lights-off: mark lights-off first");
        assertThatThrownBy(() -> l.check(ev("S9", StudyEventType.ADMITTED, T0.plusSeconds(60)), NOW))
                .hasMessage("bed bed-1 is occupied by study S1 (ADMITTED); end it before admitting another");
        assertThatThrownBy(() -> l.check(ev("S7", StudyEventType.LIGHTS_OFF, T0.plusSeconds(60)), NOW))
                .hasMessage("unknown study S7 on bed bed-1");
        assertThatThrownBy(() -> l.check(ev("S1", StudyEventType.LIGHTS_OFF, NOW.plusSeconds(60)), NOW))
                .hasMessageContaining("is in the future");
        assertThatThrownBy(() -> l.check(ev("S1", StudyEventType.LIGHTS_OFF, T0.minusSeconds(60)), NOW))
                .hasMessageContaining("before study S1 began");
        assertThatThrownBy(() -> l.check(bedside("S1", T0.minusSeconds(1)), NOW)).hasMessageContaining("before study S1 began");
        assertThatThrownBy(() -> l.check(bedside("S1", NOW.plusSeconds(600)), NOW)).hasMessageContaining("in the future");
        assertThatThrownBy(() -> l.check(bedside("S3", T0), NOW)).hasMessageContaining("unknown study S3");
        l.apply(ev("S1", StudyEventType.LIGHTS_OFF, T0.plusSeconds(600)));
        assertThatThrownBy(() -> l.check(ev("S1", StudyEventType.LIGHTS_OFF, T0.plusSeconds(700)), NOW))
                .hasMessageContaining("already marked").hasMessageContaining("amend it instead");
        assertThatThrownBy(() -> l.check(ev("S1", StudyEventType.LIGHTS_ON, T0.plusSeconds(500)), NOW))
                .hasMessageContaining("is not after lights-off");
        assertThatThrownBy(() -> l.check(ev("S1", StudyEventType.ENDED, T0.plusSeconds(900)), NOW))
                .hasMessage("lights are off: mark lights-on before ending the study");
        l.apply(ev("S1", StudyEventType.LIGHTS_ON, T0.plusSeconds(900)));
        l.apply(ev("S1", StudyEventType.ENDED, T0.plusSeconds(1000)));
        assertThatThrownBy(() -> l.check(bedside("S1", T0.plusSeconds(950)), NOW)).hasMessageContaining("which has ended");
        assertThatThrownBy(() -> l.check(ev("S1", StudyEventType.LIGHTS_ON, T0.plusSeconds(950)), NOW))
                .hasMessageContaining("which has ended");
        assertThat(l.state()).isEqualTo(StudyState.ENDED);
    }

    @Test
    void amendmentsCorrectTimesKeepOrderAndAreRecorded() {
        StudyLifecycle l = admitted();
        assertThatThrownBy(() -> l.check(amend(StudyEventType.LIGHTS_OFF, T0.plusSeconds(60), "late"), NOW))
                .hasMessage("no lights-off to amend in study S1");
        l.apply(ev("S1", StudyEventType.LIGHTS_OFF, T0.plusSeconds(1200)));
        l.apply(ev("S1", StudyEventType.LIGHTS_ON, T0.plusSeconds(3600)));
        assertThatThrownBy(() -> l.check(amend(StudyEventType.LIGHTS_OFF, T0.plusSeconds(4000), "typo"), NOW))
                .hasMessageContaining("is not before lights-on");
        assertThatThrownBy(() -> l.check(amend(StudyEventType.LIGHTS_ON, T0.plusSeconds(100), "typo"), NOW))
                .hasMessageContaining("is not after lights-off");
        l.apply(amend(StudyEventType.LIGHTS_OFF, T0.plusSeconds(600), "entered late"));
        l.apply(ev("S1", StudyEventType.ENDED, T0.plusSeconds(3700)));
        l.check(amend(StudyEventType.LIGHTS_ON, T0.plusSeconds(3500), "clock read wrongly"), NOW); // an ended study may be amended
        Study s = l.current().orElseThrow();
        assertThat(s.lightsOff()).isEqualTo(T0.plusSeconds(600));
        assertThat(s.amendments()).singleElement().satisfies(a -> {
            assertThat(a.user()).isEqualTo("tech1");
            assertThat(a.reason()).isEqualTo("entered late");
        });
        assertThatThrownBy(() -> amend(StudyEventType.LIGHTS_OFF, T0, " ")).hasMessage("an amendment needs a reason");
        assertThatThrownBy(() -> amend(StudyEventType.ADMITTED, T0, "x")).hasMessageContaining("must name the mark");
    }

    @Test
    void replayIsIdempotentAndDoesNotDependOnTheClock() {
        StudyLifecycle l = admitted();
        StudyEvent off = ev("S1", StudyEventType.LIGHTS_OFF, NOW.plusSeconds(3600)); // "future" only for check()
        assertThat(l.apply(off)).isTrue();
        assertThat(l.apply(off)).isFalse();
        assertThat(l.current().orElseThrow().marks()).hasSize(2);
        assertThatThrownBy(() -> l.apply(ev("S1", StudyEventType.LIGHTS_OFF, NOW))).isInstanceOf(StudyRefusal.class);
    }

    @Test
    void theContractRoundTripsAndNeverPrintsThePatientReference() {
        StudyEvent a = ev("S1", StudyEventType.ADMITTED, T0);
        byte[] bytes = Topics.STUDY_EVENTS.valueSerde().serializer().serialize("study-events.v1", a);
        assertThat(Topics.STUDY_EVENTS.valueSerde().deserializer().deserialize("study-events.v1", bytes)).isEqualTo(a);
        assertThat(a.toString()).doesNotContain("P-0042");
        assertThat(a.admission().toString()).doesNotContain("P-0042");
        BedsideEvent b = new BedsideEvent("b1", "bed-1", "S1", BedsideEventType.POSITION_CHANGE, BodyPosition.LEFT, " turned ",
                "nurse1", NOW, T0);
        assertThat(JsonCodec.fromBytes(JsonCodec.toBytes(b), BedsideEvent.class)).isEqualTo(b);
        assertThat(b.describe()).isEqualTo("Position change left: turned");
        assertThatThrownBy(() -> new Admission("Jane Doe", StudyProtocol.PLM_STUDY, "WASM", Population.ADULT))
                .hasMessageContaining("never a name");
        assertThatThrownBy(() -> new Admission("JaneDoe", StudyProtocol.PLM_STUDY, "WASM", Population.ADULT))
                .hasMessageContaining("at least one digit");
        assertThatThrownBy(() -> new Admission("P-1", StudyProtocol.PLM_STUDY, "XYZ", Population.ADULT)).hasMessageContaining("4-40");
        assertThatThrownBy(() -> new Admission("P-0001", StudyProtocol.PLM_STUDY, "XYZ", Population.ADULT))
                .hasMessageContaining("WASM2016 or AASM");
        assertThatThrownBy(() -> new BedsideEvent("b2", "bed-1", "S1", BedsideEventType.POSITION_CHANGE, null, null, "n", NOW, T0))
                .hasMessageContaining("needs a position");
        assertThatThrownBy(() -> new BedsideEvent("b2", "bed-1", "S1", BedsideEventType.NOTE, null, "  ", "n", NOW, T0))
                .hasMessage("a NOTE needs text");
        assertThatThrownBy(() -> new StudyEvent("e", "bed 1", "S1", StudyEventType.LIGHTS_OFF, "n", NOW, T0, null, null, null))
                .hasMessageContaining("bedId");
        assertThatThrownBy(() -> JsonCodec.fromBytes("{\"type\":\"LIGHTS_OFF\"}".getBytes(), StudyEvent.class))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("StudyEvent: invalid JSON event");
    }
}
