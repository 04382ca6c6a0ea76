package org.hypnostream.inference.stage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The leak rule of stager v3 in Java: inserting or removing absent epochs anywhere in a stretch changes no present
 * epoch's output, live or revised (bit for bit), while changing a present epoch does change later ones.
 */
class SequenceStagerLeakTest {

    private static List<List<Double>> presentOutputs(SequenceStager s, float[][] rows, boolean revised) {
        List<StageResult> res = revised ? s.reviseFeatureSequence(rows, "absent")
                : s.scoreFeatureSequence(s.newState(), 0, rows, "absent");
        List<List<Double>> out = new ArrayList<>();
        for (int i = 0; i < rows.length; i++) {
            if (SequenceFixtures.present(rows[i])) {
                out.add(res.get(i).probabilities());
            }
        }
        return out;
    }

    private static float[][] withoutAbsent(float[][] rows) {
        return java.util.Arrays.stream(rows).filter(SequenceFixtures::present).toArray(float[][]::new);
    }

    private static float[][] withInserted(float[][] rows, long seed) {
        Random rnd = new Random(seed);
        List<float[]> out = new ArrayList<>(List.of(rows));
        for (int k = 0; k < 25; k++) {
            float[] r = new float[120];
            java.util.Arrays.fill(r, 0, 105, Float.NaN);
            for (int sig = 0; sig < 3; sig++) {
                double sum = 0;
                double[] w = new double[5];
                for (int b = 0; b < 5; b++) {
                    w[b] = rnd.nextDouble();
                    sum += w[b];
                }
                for (int b = 0; b < 5; b++) {
                    r[105 + sig * 5 + b] = (float) (w[b] / sum);
                }
            }
            out.add(rnd.nextInt(out.size() + 1), rnd.nextBoolean() ? r : null);
        }
        return out.toArray(new float[0][]);
    }

    @Test
    void insertingOrRemovingAbsentEpochsChangesNoPresentEpochsOutput() throws Exception {
        SequenceStager s = SequenceFixtures.stager();
        float[][] rows = SequenceFixtures.rows();
        for (boolean revised : new boolean[] {false, true}) {
            List<List<Double>> base = presentOutputs(s, rows, revised);
            assertThat(base).hasSizeLessThan(rows.length);
            assertThat(presentOutputs(s, withoutAbsent(rows), revised)).as("absent removed, revised %s", revised)
                    .isEqualTo(base);
            for (long seed = 1; seed <= 3; seed++) {
                assertThat(presentOutputs(s, withInserted(rows, seed), revised))
                        .as("absent inserted (seed %d), revised %s", seed, revised).isEqualTo(base);
            }
        }
    }

    @Test
    void changingAPresentEpochChangesLaterOutputs() throws Exception {
        SequenceStager s = SequenceFixtures.stager();
        float[][] rows = SequenceFixtures.rows();
        float[][] changed = rows.clone();
        int first = 0;
        while (!SequenceFixtures.present(rows[first])) {
            first++;
        }
        changed[first] = rows[first].clone();
        for (int j = 0; j < 105; j++) {
            changed[first][j] *= 1.5f;
        }
        List<List<Double>> a = presentOutputs(s, rows, false);
        List<List<Double>> b = presentOutputs(s, changed, false);
        assertThat(b.subList(1, 10)).isNotEqualTo(a.subList(1, 10));
    }
}
