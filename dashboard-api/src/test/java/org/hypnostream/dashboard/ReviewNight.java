package org.hypnostream.dashboard;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.hypnostream.common.event.LegMovementEvent;
import org.hypnostream.common.event.LegSide;
import org.hypnostream.common.event.Provenance;
import org.hypnostream.common.event.Stage;
import org.hypnostream.common.event.StageEvent;
import org.hypnostream.common.study.Admission;
import org.hypnostream.common.study.Population;
import org.hypnostream.common.study.StudyEvent;
import org.hypnostream.common.study.StudyEventType;
import org.hypnostream.common.study.StudyProtocol;

/**
 * A hand-computable night for the review tests: 40 epochs of 30 s from {@link TestEvents#START}; epochs 0-1 W, 2-39
 * N2 (the model's top probability 0.8, but 0.4 for epoch 7 and 0.5 for epoch 20: the doubtful ones); study S1
 * admitted 60 s before, lights-off at epoch 0, lights-on at epoch 40 (TRT 20 min, TST 19 min); four left-leg
 * movements of 1.5 s at 120, 140, 160 and 180 s (IMI 20 s, all in N2: one confirmed PLM series of 4).
 */
public final class ReviewNight {
    public static final Instant START = TestEvents.START;
    public static final int EPOCHS = 40;
    static final Provenance STAGER = Provenance.model("seed-stager", "ab".repeat(32), "CPU");

    private ReviewNight() {
    }

    public static List<Object> events(String bed, String ward) {
        List<Object> out = new ArrayList<>();
        out.add(TestEvents.bed(bed, ward));
        out.add(new StudyEvent("adm-" + bed, bed, "S1", StudyEventType.ADMITTED, "tech", START.minusSeconds(60),
                START.minusSeconds(60), new Admission("P-0042", StudyProtocol.PLM_STUDY, "WASM2016", Population.ADULT), null, null));
        out.add(new StudyEvent("off-" + bed, bed, "S1", StudyEventType.LIGHTS_OFF, "nurse", START, START, null, null, null));
        for (int i = 0; i < EPOCHS; i++) {
            out.add(stage(bed, i));
        }
        for (double on : new double[] {120, 140, 160, 180}) {
            out.add(leg(bed, on));
        }
        out.add(new StudyEvent("on-" + bed, bed, "S1", StudyEventType.LIGHTS_ON, "nurse", START.plusSeconds(1200),
                START.plusSeconds(1200), null, null, null));
        return out;
    }

    public static StageEvent stage(String bed, int i) {
        Stage st = i < 2 ? Stage.W : Stage.N2;
        double top = i == 7 ? 0.4 : i == 20 ? 0.5 : 0.8;
        double[] p = new double[5];
        java.util.Arrays.fill(p, (1 - top) / 4);
        p[Stage.SCORED.indexOf(st)] = top;
        Instant s = START.plusSeconds(30L * i);
        return new StageEvent(bed, i, s, s.plusSeconds(30), st, List.of(p[0], p[1], p[2], p[3], p[4]), false, null, Set.of(),
                STAGER, s.plusSeconds(31), 800, 0);
    }

    public static LegMovementEvent leg(String bed, double onsetSeconds) {
        Instant on = START.plusMillis((long) (onsetSeconds * 1000));
        return new LegMovementEvent(bed, bed + "-LEFT-" + (long) (onsetSeconds * 200), LegSide.LEFT, on, on.plusMillis(1500),
                1.5, 40, Set.of(), Provenance.rules("WASM2016"), on.plusSeconds(3), 100);
    }
}
