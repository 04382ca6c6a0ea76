package org.hypnostream.inference.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hypnostream.inference.service.StudyMarks.admitted;
import static org.hypnostream.inference.service.StudyMarks.amendLightsOn;
import static org.hypnostream.inference.service.StudyMarks.mark;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.hypnostream.common.study.StudyEventType;
import org.hypnostream.common.wire.Epoch;
import org.junit.jupiter.api.Test;

/** When the morning re-score runs, and over which epochs. */
class RescoreTriggerTest {
    private static final Instant T0 = Instant.parse("2026-12-06T21:00:00Z");
    private static final Instant ON = Instant.parse("2026-12-07T06:30:00Z");

    @Test
    void lightsOnAsksForTheNightFromTheAdmissionOtherMarksAskNothing() {
        RescoreTrigger t = new RescoreTrigger();
        assertThat(t.on(admitted("e1", "bed-1", "s1", T0), StudyMarks.RECORDED)).isEmpty();
        assertThat(t.on(mark("e2", "bed-1", "s1", StudyEventType.LIGHTS_OFF, T0.plusSeconds(3600)), StudyMarks.RECORDED)).isEmpty();
        assertThat(t.on(mark("e3", "bed-1", "s1", StudyEventType.LIGHTS_ON, ON), StudyMarks.RECORDED))
                .contains(new RescoreTrigger.Night("bed-1", "s1", "e3", T0, ON));
        assertThat(t.on(mark("e4", "bed-1", "s1", StudyEventType.ENDED, ON.plusSeconds(600)), StudyMarks.RECORDED)).isEmpty();
    }

    @Test
    void aRedeliveredMarkAsksNothingAnAmendedLightsOnAsksAgain() {
        RescoreTrigger t = new RescoreTrigger();
        t.on(admitted("e1", "bed-1", "s1", T0), StudyMarks.RECORDED);
        assertThat(t.on(mark("e3", "bed-1", "s1", StudyEventType.LIGHTS_ON, ON), StudyMarks.RECORDED)).isPresent();
        assertThat(t.on(mark("e3", "bed-1", "s1", StudyEventType.LIGHTS_ON, ON), StudyMarks.RECORDED)).isEmpty();
        assertThat(t.on(amendLightsOn("e5", "bed-1", "s1", ON.plusSeconds(900)), StudyMarks.RECORDED))
                .contains(new RescoreTrigger.Night("bed-1", "s1", "e5", T0, ON.plusSeconds(900)));
    }

    @Test
    void withoutAKnownAdmissionTheNightIsEverythingBeforeLightsOnAndBedsAreSeparate() {
        RescoreTrigger t = new RescoreTrigger();
        t.on(admitted("e1", "bed-1", "s1", T0), StudyMarks.RECORDED);
        assertThat(t.on(mark("e2", "bed-2", "s2", StudyEventType.LIGHTS_ON, ON), StudyMarks.RECORDED))
                .contains(new RescoreTrigger.Night("bed-2", "s2", "e2", null, ON));
        t.forget("bed-1");
        assertThat(t.on(mark("e3", "bed-1", "s1", StudyEventType.LIGHTS_ON, ON), StudyMarks.RECORDED).orElseThrow().from()).isNull();
        // an admission entered after lights-on cannot bound the night
        t.on(admitted("e4", "bed-3", "s3", ON.plusSeconds(1)), StudyMarks.RECORDED);
        assertThat(t.on(mark("e5", "bed-3", "s3", StudyEventType.LIGHTS_ON, ON), StudyMarks.RECORDED).orElseThrow().from()).isNull();
    }

    @Test
    void aLightsOnEnteredLongAgoIsHistoryNotARequest() {
        RescoreTrigger t = new RescoreTrigger();
        var on = mark("e3", "bed-1", "s1", StudyEventType.LIGHTS_ON, ON);
        assertThat(t.on(on, StudyMarks.RECORDED.plus(RescoreTrigger.MAX_AGE).plusSeconds(1))).isEmpty();
        var again = mark("e4", "bed-1", "s1", StudyEventType.LIGHTS_ON, ON);
        assertThat(t.on(again, StudyMarks.RECORDED.plus(RescoreTrigger.MAX_AGE))).isPresent();
    }

    @Test
    void theNightIsTheLatestSessionOneEpochPerIndexInOrder() {
        Epoch a5 = TestEpochs.epoch("bed-1", 5, false);
        Epoch a3 = TestEpochs.epoch("bed-1", 3, false);
        Epoch a3again = TestEpochs.epoch("bed-1", 3, true);
        Epoch later = new Epoch("bed-1", 1, TestEpochs.SESSION_START_MICROS + 3_600_000_000L, 100,
                TestEpochs.CHANNELS, new float[3][3000], Set.of(), 0);
        assertThat(RescoreTrigger.lastSession(List.of(a5, a3, a3again))).containsExactly(a3, a5);
        assertThat(RescoreTrigger.lastSession(List.of(a5, later, a3))).containsExactly(later);
        assertThat(RescoreTrigger.lastSession(List.of())).isEmpty();
    }
}
