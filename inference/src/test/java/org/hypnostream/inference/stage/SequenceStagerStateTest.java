package org.hypnostream.inference.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * saveState / loadState of stager v3: a restored bed scores the rest of the night exactly like one that never left;
 * the state's size is what the card says; v2 states (version 2) and damaged bytes are refused, never misread.
 */
class SequenceStagerStateTest {

    @Test
    void aRestoredStateScoresTheRestOfTheStretchExactlyLikeTheOriginal() throws Exception {
        SequenceStager s = SequenceFixtures.stager();
        float[][] rows = SequenceFixtures.rows();
        StageScorer.BedState original = s.newState();
        s.scoreFeatureSequence(original, 0, Arrays.copyOf(rows, 30), "absent");
        byte[] saved = s.saveState(original);
        int window = StagerEvaluation.readCard(SequenceFixtures.cardFile()).causalContext().get("window").asInt();
        int width = StagerEvaluation.readCard(SequenceFixtures.cardFile()).causalContext().get("width").asInt();
        assertThat(saved).as("version, index, alpha, (K-1) x width floats, no filter state (precomputed rows)")
                .hasSize(1 + 8 + 1 + 40 + 8 + (window - 1) * width * 4 + 1);
        StageScorer.BedState restored = s.loadState(saved);
        assertThat(restored.lastEpochIndex()).isEqualTo(29);
        assertThat(s.saveState(restored)).isEqualTo(saved);
        StageScorer.BedState fresh = s.newState();
        float[][] rest = Arrays.copyOfRange(rows, 30, rows.length);
        List<StageResult> a = s.scoreFeatureSequence(original, 30, rest, "absent");
        List<StageResult> b = s.scoreFeatureSequence(restored, 30, rest, "absent");
        List<StageResult> c = s.scoreFeatureSequence(fresh, 30, rest, "absent");
        assertThat(b).as("bit for bit").isEqualTo(a);
        assertThat(c).as("without the saved state the results differ").isNotEqualTo(a);
    }

    @Test
    void otherVersionsAndDamagedBytesAreRefused() throws Exception {
        SequenceStager s = SequenceFixtures.stager();
        byte[] saved = s.saveState(s.newState());
        byte[] v2 = StagerStateCodec.encode(new StagerBedState());
        assertThatThrownBy(() -> s.loadState(v2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version 2").hasMessageContaining("HMM stager");
        assertThatThrownBy(() -> s.loadState(Arrays.copyOf(saved, saved.length - 3)))
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> s.loadState(Arrays.copyOf(saved, saved.length + 2)))
                .hasMessageContaining("trailing");
        byte[] otherWindow = saved.clone();
        otherWindow[1 + 8 + 1 + 3] = 7; // past row count
        assertThatThrownBy(() -> s.loadState(otherWindow)).hasMessageContaining("past window");
        assertThatThrownBy(() -> StagerFixtures.stager().loadState(saved)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version 3");
    }
}
