package org.hypnostream.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hypnostream.common.event.LegSide;
import org.hypnostream.common.wire.ChannelType;
import org.hypnostream.common.wire.SampleBlock;
import org.hypnostream.inference.leg.LegRules;
import org.hypnostream.inference.leg.LmEvaluation;
import org.hypnostream.ingest.source.SyntheticAmplifier;
import org.hypnostream.ingest.source.TrueLegMovement;
import org.hypnostream.stream.plm.PlmBatch;
import org.hypnostream.stream.plm.PlmRuleSet;
import org.junit.jupiter.api.Test;

/**
 * The synthetic amplifier's leg movements (known onsets, offsets and periodic series, with ECG bleed and mains hum on
 * the leg channels) recovered by the same detector and PLM rules as live.
 */
class SyntheticLegRecoveryTest {

    @Test
    void syntheticLegMovementsAndPlmIndexAreRecovered() {
        Instant start = Instant.parse("2026-11-20T22:00:00Z");
        double hours = 2.0;
        SyntheticAmplifier amp = new SyntheticAmplifier("bed-1", 5, start, Duration.ofMinutes((long) (hours * 60)));
        List<float[]> left = new ArrayList<>();
        List<float[]> right = new ArrayList<>();
        double rate = 0;
        for (Optional<SampleBlock> b = amp.next(); b.isPresent(); b = amp.next()) {
            SampleBlock blk = b.get();
            for (int c = 0; c < blk.channels().size(); c++) {
                ChannelType t = blk.channels().get(c).type();
                if (t == ChannelType.EMG_LEG_LEFT) {
                    left.add(blk.samples()[c]);
                    rate = blk.sampleRateHz();
                } else if (t == ChannelType.EMG_LEG_RIGHT) {
                    right.add(blk.samples()[c]);
                }
            }
        }
        List<LmEvaluation.Movement> truth = new ArrayList<>();
        for (TrueLegMovement m : amp.legMovements()) {
            if (m.offsetSeconds() > hours * 3600) {
                continue;
            }
            double d = m.offsetSeconds() - m.onsetSeconds();
            if (m.side() == LegSide.BILATERAL) {
                truth.add(new LmEvaluation.Movement(m.onsetSeconds(), d, LegSide.LEFT));
                truth.add(new LmEvaluation.Movement(m.onsetSeconds(), d, LegSide.RIGHT));
            } else {
                truth.add(new LmEvaluation.Movement(m.onsetSeconds(), d, m.side()));
            }
        }
        LmEvaluation.Result r = LmEvaluation.evaluate(concat(left), concat(right), rate, truth, LegRules.wasm2016());
        PlmBatch.Summary found = PlmBatch.summarise(EvaluateLmCommand.monos(r.found()), PlmRuleSet.WASM2016, hours);
        PlmBatch.Summary expected = PlmBatch.summarise(EvaluateLmCommand.monos(truth), PlmRuleSet.WASM2016, hours);
        System.out.printf("synthetic legs (%.0f h): scored=%d found=%d precision=%.3f recall=%.3f f1=%.3f onset error=%.3f s; "
                + "PLM index found=%.1f/h expected=%.1f/h%n", hours, truth.size(), r.found().size(), r.precision(), r.recall(),
                r.f1(), r.meanAbsOnsetErrorSeconds(), found.plmIndex(), expected.plmIndex());
        assertThat(truth).hasSizeGreaterThan(20);
        assertThat(expected.plmCount()).as("the synthetic night has periodic series").isGreaterThan(0);
        assertThat(r.f1()).isGreaterThanOrEqualTo(0.9);
        assertThat(r.meanAbsOnsetErrorSeconds()).isLessThan(0.25);
        assertThat(Math.abs(found.plmIndex() - expected.plmIndex())).isLessThanOrEqualTo(0.1 * expected.plmIndex() + 1.0);
    }

    private static float[] concat(List<float[]> parts) {
        int n = parts.stream().mapToInt(a -> a.length).sum();
        float[] out = new float[n];
        int k = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, k, p.length);
            k += p.length;
        }
        return out;
    }
}
