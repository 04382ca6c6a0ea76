package org.hypnostream.stream.plm;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.hypnostream.common.event.AlertAction;
import org.hypnostream.common.event.LegSide;
import org.hypnostream.common.event.Stage;
import org.hypnostream.common.study.Population;
import org.hypnostream.common.study.StudyEventType;
import org.hypnostream.common.time.Micros;
import org.hypnostream.common.topic.Topic;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.common.wire.LegWindow;

/**
 * A deterministic night of one bed as the PLM topology's input, in arrival order, each record with the wall-clock
 * time it is processed at: an AASM study (admitted, lights-off at 7.5 min), sleep cycles with long wake runs, runs
 * of periodic left-leg movements (some joined by the right leg), leg windows every 12 s (a flat left channel now and
 * then), and an acknowledgement of an alert unknown to the bed. The input of the PLM state-format upgrade test and
 * of the state-size test; the same night in the benchmarks module is {@code PlmStateBenchmark}'s.
 */
final class SyntheticPlmNight {
    static final String BED = "bed-1";

    /** One input record: topic, value bytes, wall-clock time of processing. */
    record In(String topic, byte[] value, Instant wallClock) {
    }

    private SyntheticPlmNight() {
    }

    /** The class of epoch {@code e}: 20 epochs of wake, then 80-epoch cycles of N1, N2, N3, REM and a 3-min wake run. */
    static Stage stageOf(long e) {
        if (e < 20) {
            return Stage.W;
        }
        int c = (int) ((e - 20) % 80);
        return c < 4 ? Stage.N1 : c < 34 ? Stage.N2 : c < 54 ? Stage.N3 : c < 74 ? Stage.REM : Stage.W;
    }

    /** Whether the legs move periodically during epoch {@code e} (sleep epochs of two cycles out of three). */
    static boolean periodic(long e) {
        return stageOf(e).isSleep() && ((e - 20) / 80) % 3 != 2;
    }

    static List<In> records(int epochs) {
        List<In> out = new ArrayList<>();
        Random r = new Random(19);
        float[] noise = new float[LegWindow.SAMPLES];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) (2 * r.nextGaussian());
        }
        float[] flat = new float[LegWindow.SAMPLES];
        long start = Micros.of(PlmFixtures.START);
        add(out, Topics.STUDY_EVENTS, PlmScorerTest.study(StudyEventType.ADMITTED, -60, null, Population.ADULT), -55);
        add(out, Topics.STUDY_EVENTS, PlmScorerTest.study(StudyEventType.LIGHTS_OFF, 450, null, null), 455);
        long window = 0;
        for (long e = 0; e < epochs; e++) {
            double t0 = 30.0 * e;
            if (periodic(e)) {
                for (double t = t0 + (e % 2) * 6; t < t0 + 30; t += 24) {
                    add(out, Topics.LEG_EVENTS, PlmFixtures.leg(BED, LegSide.LEFT, t, t + 1.5), t + 3);
                    if (((long) t / 24) % 7 == 0) {
                        add(out, Topics.LEG_EVENTS, PlmFixtures.leg(BED, LegSide.RIGHT, t + 0.4, t + 2.0), t + 3.5);
                    }
                }
            } else if (e % 5 == 0) {
                add(out, Topics.LEG_EVENTS, PlmFixtures.leg(BED, LegSide.RIGHT, t0 + 11, t0 + 13), t0 + 14);
            }
            for (; window * 12.0 < t0 + 30; window++) {
                float[] left = window % 97 == 50 ? flat : noise;
                LegWindow w = new LegWindow(BED, window, start, 200, 2400, left, noise, Set.of(), Set.of(), 0);
                add(out, Topics.LEG_WINDOWS, w, window * 12.0 + 24.5);
            }
            add(out, Topics.STAGE_EVENTS, PlmFixtures.stage(BED, e, stageOf(e)), t0 + 31);
            if (e % 200 == 199) {
                add(out, Topics.ALERT_ACTIONS, new AlertAction(BED + ":unknown:" + e, BED, AlertAction.ACKNOWLEDGE,
                        "nurse.jones", PlmFixtures.at(t0 + 32), 0, "checked the electrodes"), t0 + 32);
            }
        }
        return out;
    }

    private static <T> void add(List<In> out, Topic<String, T> t, T value, double wallS) {
        out.add(new In(t.name(), t.valueSerde().serializer().serialize(t.name(), value), PlmFixtures.at(wallS)));
    }
}
