package org.hypnostream.inference.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.hypnostream.inference.runtime.ModelRegistry;
import org.hypnostream.inference.stage.StageScorer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The per-bed state a live bed carries (its snapshot from the stager's codec, which holds all of it) for both shipped
 * stagers, after a stretch of real-shaped epochs scored live (so the causal Welch filter state is in it): its size is
 * the codec's formula and does not grow with the night. Figures quoted in the model cards and the inference README.
 */
class StagerStateSizeTest {
    private static final Path MODELS = Path.of("../models");
    /** version + last index + posterior (flag + 5 doubles). */
    private static final int HEAD = 1 + 8 + 1 + 5 * 8;
    /** flag + last filtered index + signals + sections + 3 signals x 4 sections x 2 doubles. */
    private static final int WELCH = 1 + 8 + 4 + 4 + 3 * 4 * 2 * 8;
    private static ModelRegistry models;

    @BeforeAll
    static void load() {
        models = ModelRegistry.load(MODELS, "cpu");
    }

    @AfterAll
    static void close() {
        models.close();
    }

    private static int[] sizesAfter(StageScorer s, int... counts) {
        StageScorer.BedState st = s.newState();
        int[] out = new int[counts.length];
        int done = 0;
        for (int k = 0; k < counts.length; k++) {
            for (; done < counts[k]; done++) {
                s.scoreBatch(List.of(st), List.of(TestEpochs.epoch("bed-1", done, false)));
            }
            out[k] = s.saveState(st).length;
        }
        return out;
    }

    @Test
    void v3CarriesItsWindowOfNineteenRowsOf94FloatsPlusPosteriorAndFilter() {
        StageScorer v3 = new SequenceStagerFactory().create(models.require("stager-features-welch-gru-v3"));
        int rows = 20 - 1;
        int width = 94;
        int expected = HEAD + 4 + 4 + rows * width * 4 + WELCH;
        assertThat(expected).isEqualTo(7411);
        assertThat(sizesAfter(v3, 5, 25, 60)).containsExactly(expected, expected, expected);
    }

    @Test
    void v2CarriesTwoRunningMeansOf94DoublesPlusPosteriorAndFilter() {
        StageScorer v2 = new CausalStagerFactory().create(models.require("stager-features-welch-hmm-v2"));
        int spans = 2;
        int width = 94;
        int expected = HEAD + 1 + 4 + 4 + 4 + spans * width * 8 + WELCH;
        assertThat(expected).isEqualTo(1776);
        assertThat(sizesAfter(v2, 5, 25, 60)).containsExactly(expected, expected, expected);
    }
}
