package org.hypnostream.inference.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.hypnostream.common.event.JsonCodec;
import org.junit.jupiter.api.Test;

/** saveState / loadState of the shipped causal stager: exact round trip, continued scoring identical, bad bytes refused. */
class CausalStagerStateTest {

    private static List<float[]> goldenFeatures() throws Exception {
        JsonNode golden;
        try (InputStream in = CausalStagerStateTest.class.getResourceAsStream("/stager/golden.json")) {
            golden = JsonCodec.mapper().readTree(in);
        }
        List<float[]> rows = new ArrayList<>();
        for (JsonNode r : golden.get("rows")) {
            rows.add(StagerFixtures.row(r));
        }
        return rows;
    }

    @Test
    void aRestoredStateScoresTheRestOfTheNightExactlyLikeTheOriginal() throws Exception {
        CausalStager stager = StagerFixtures.stager();
        List<float[]> rows = goldenFeatures();
        StageScorer.BedState original = stager.newState();
        for (int i = 0; i < 30; i++) {
            stager.scoreFeatures(original, i, rows.get(i), "absent in golden");
        }
        byte[] saved = stager.saveState(original);
        JsonNode nc = StagerEvaluation.readCard(StagerFixtures.cardFile()).causalContext().get("night_context");
        int width = nc.get("width").asInt();
        int spans = nc.get("spans").size();
        assertThat(saved).as("version, index, HMM posterior, spans x width night-context means, no filter state (the "
                + "precomputed rows bypass the filter)").hasSize(1 + 8 + 1 + 40 + 1 + 12 + spans * width * 8 + 1);
        StageScorer.BedState restored = stager.loadState(saved);
        assertThat(restored.lastEpochIndex()).isEqualTo(29);
        assertThat(stager.saveState(restored)).isEqualTo(saved);
        StageScorer.BedState fresh = stager.newState();
        int differs = 0;
        for (int i = 30; i < rows.size(); i++) {
            StageResult a = stager.scoreFeatures(original, i, rows.get(i), "absent in golden");
            StageResult b = stager.scoreFeatures(restored, i, rows.get(i), "absent in golden");
            StageResult c = stager.scoreFeatures(fresh, i, rows.get(i), "absent in golden");
            assertThat(b.stage()).as("epoch %d", i).isEqualTo(a.stage());
            assertThat(b.fromPriorOnly()).isEqualTo(a.fromPriorOnly());
            assertThat(b.probabilities()).as("epoch %d, bit for bit", i).isEqualTo(a.probabilities());
            if (!c.probabilities().equals(a.probabilities())) {
                differs++;
            }
        }
        assertThat(differs).as("without the saved state the results differ").isPositive();
        assertThat(stager.saveState(restored)).isEqualTo(stager.saveState(original));
    }

    @Test
    void theNightContextRunningMeansRoundTripExactly() {
        NightContext spec = new NightContext("context", "z", 4, List.of(3, 40));
        StagerBedState s = new StagerBedState();
        s.last = 12;
        s.alpha = new double[] {0.1, 0.2, 0.3, 0.15, 0.25};
        s.context = spec.newRunning();
        Random rnd = new Random(7);
        for (int n = 0; n < 9; n++) {
            float[] z = new float[4];
            for (int i = 0; i < 4; i++) {
                z[i] = (float) rnd.nextGaussian();
            }
            s.context.add(z);
        }
        StagerBedState back = StagerStateCodec.decode(StagerStateCodec.encode(s), spec, "m");
        assertThat(back.last).isEqualTo(12);
        assertThat(back.alpha).isEqualTo(s.alpha);
        assertThat(back.context.count()).isEqualTo(9);
        assertThat(back.context.snapshot()).isEqualTo(s.context.snapshot());
        float[] z = {0.5f, -1f, 2f, 0f};
        s.context.add(z);
        back.context.add(z);
        for (int k = 0; k < 2; k++) {
            assertThat(back.context.mean(k)).isEqualTo(s.context.mean(k));
        }
        assertThatThrownBy(() -> StagerStateCodec.decode(StagerStateCodec.encode(s), new NightContext("c", "z", 5,
                List.of(3, 40)), "m")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("model m").hasMessageContaining("2 x 4, the model has 2 x 5");
        assertThatThrownBy(() -> StagerStateCodec.decode(StagerStateCodec.encode(s), null, "m"))
                .hasMessageContaining("the model has none");
    }

    @Test
    void theWelchFilterStateRoundTripsExactlyAndIsRefusedByAModelWithoutWelchInput() {
        double[][] sig = new double[3][3000];
        Random rnd = new Random(11);
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 3000; i++) {
                sig[c][i] = 30 * Math.sin(2 * Math.PI * (2 + 5 * c) * i / 100.0) + 5 * rnd.nextGaussian();
            }
        }
        StagerBedState s = new StagerBedState();
        s.last = 4;
        org.hypnostream.inference.features.RelativeWelch w = new org.hypnostream.inference.features.RelativeWelch();
        w.compute(sig, s.welch, 3);
        w.compute(sig, s.welch, 4);
        byte[] bytes = StagerStateCodec.encode(s);
        StagerBedState back = StagerStateCodec.decode(bytes, null, true, "m");
        assertThat(back.welch.lastIndex()).isEqualTo(4);
        assertThat(back.welch.sections()).isDeepEqualTo(s.welch.sections());
        assertThat(w.compute(sig, back.welch, 5)).isEqualTo(w.compute(sig, s.welch, 5));
        assertThatThrownBy(() -> StagerStateCodec.decode(bytes, null, false, "m"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no welch input");
    }

    @Test
    void truncatedForeignOrPaddedBytesAreRefusedWithTheReason() throws Exception {
        CausalStager stager = StagerFixtures.stager();
        StageScorer.BedState s = stager.newState();
        stager.scoreFeatures(s, 0, goldenFeatures().get(0), "absent");
        byte[] ok = stager.saveState(s);
        assertThatThrownBy(() -> stager.loadState(Arrays.copyOf(ok, ok.length - 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated")
                .hasMessageContaining(stager.modelId());
        assertThatThrownBy(() -> stager.loadState(Arrays.copyOf(ok, ok.length + 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 trailing bytes");
        byte[] foreign = ok.clone();
        foreign[0] = 9;
        assertThatThrownBy(() -> stager.loadState(foreign)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version 9");
    }
}
