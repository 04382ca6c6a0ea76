package org.hypnostream.inference.leg;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.hypnostream.common.data.SharedData;
import org.hypnostream.common.event.LegMovementEvent;
import org.hypnostream.common.wire.LegWindow;
import org.hypnostream.testkit.TestEdf;
import org.junit.jupiter.api.Test;

/** The real 2-minute Nox A1 leg EMG (volts, 200 Hz) through the detector, windowed like the spine does. */
class NoxLegEmgTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void realNoxA1LegEmgRunsThroughTheDetector() throws Exception {
        Path edf = SharedData.data("snippets", "rsleep_subject1_NoxA1_2min_legEMG.edf");
        TestEdf.Signal left = TestEdf.read(edf, "Left Leg");
        TestEdf.Signal right = TestEdf.read(edf, "Right Leg");
        assertThat(left.rateHz()).isEqualTo(200.0);
        assertThat(right.values()).hasSize(left.values().length).hasSize(120 * 200);
        float[] l = toMicrovolts(left.values());
        float[] r = toMicrovolts(right.values());

        for (LegRules rules : List.of(LegRules.wasm2016(), LegRules.aasm())) {
            LegMovementDetector d = new LegMovementDetector(rules);
            LegMovementDetector.State s = d.newState();
            List<LegMovementEvent> found = new ArrayList<>();
            List<LegDetection> dets = new ArrayList<>();
            for (LegWindow w : LegTestSignals.windows("nox-a1", l, r, Set.of(), Set.of())) {
                LegDetection det = d.detect(s, w, NOW);
                dets.add(det);
                found.addAll(det.movements());
            }
            assertThat(dets).hasSize(8);
            // this export stores leg EMG in volts with 31.25 µV steps: the detector must say it cannot resolve it
            // (or, where a 12 s stretch holds one value only, that it is flat)
            assertThat(dets).allSatisfy(x -> {
                assertThat(x.left().condition()).isIn(LegChannelStatus.Condition.COARSE, LegChannelStatus.Condition.FLAT);
                assertThat(x.right().condition()).isIn(LegChannelStatus.Condition.COARSE, LegChannelStatus.Condition.FLAT);
            });
            StringBuilder st = new StringBuilder();
            dets.forEach(x -> st.append(' ').append(x.left().condition()).append('/').append(x.right().condition()));
            TestReport.line("Nox A1 2 min, " + rules.ruleSetId() + ": window status L/R" + st);
            assertThat(found).allSatisfy(e -> {
                assertThat(e.durationSeconds()).isGreaterThanOrEqualTo(0.5);
                assertThat(e.offset()).isAfter(e.onset());
            });
            assertThat(found.stream().map(LegMovementEvent::movementId).distinct().count()).isEqualTo(found.size());
            // unresolvable channels yield technical statuses, not a flood of quantisation-step "movements"
            assertThat(found).isEmpty();
            StringBuilder b = new StringBuilder();
            for (LegMovementEvent e : found) {
                b.append(String.format(java.util.Locale.ROOT, " %s %.2f-%.2f s (%.0f µV peak);", e.side(),
                        (org.hypnostream.common.time.Micros.of(e.onset()) - LegTestSignals.SESSION_START_MICROS) / 1e6,
                        (org.hypnostream.common.time.Micros.of(e.offset()) - LegTestSignals.SESSION_START_MICROS) / 1e6,
                        e.peakMicrovolts()));
            }
            TestReport.line("Nox A1 2 min, " + rules.ruleSetId() + ": " + found.size() + " movements;" + b
                    + " baseline L " + String.format(java.util.Locale.ROOT, "%.2f", s.baselineUv(org.hypnostream.common.event.LegSide.LEFT))
                    + " R " + String.format(java.util.Locale.ROOT, "%.2f", s.baselineUv(org.hypnostream.common.event.LegSide.RIGHT))
                    + " µV; status first window L " + dets.get(0).left().condition() + " (" + dets.get(0).left().detail()
                    + ") R " + dets.get(0).right().condition() + " (" + dets.get(0).right().detail() + "); rejected "
                    + s.rejectedShort() + " short, " + s.rejectedMorphology() + " morphology");
        }
    }

    private static float[] toMicrovolts(double[] volts) {
        float[] uv = new float[volts.length];
        for (int i = 0; i < volts.length; i++) {
            uv[i] = (float) (volts[i] * 1e6);
        }
        return uv;
    }
}
