package org.hypnostream.inference.leg;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.Set;
import org.hypnostream.common.event.LegSide;
import org.junit.jupiter.api.Test;

/** The one-pass test for a fine quantisation step against the exact, sort-based {@link LegChannelStatus#quantisationStep}. */
class LegChannelStatusTest {
    private static float[] quantised(int n, double sigmaUv, double stepUv, long seed, boolean spikes) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            double v = sigmaUv * r.nextGaussian();
            if (spikes && i % 997 == 0) {
                v += 2_000 * (r.nextBoolean() ? 1 : -1); // a wide range: more buckets than samples for short spans
            }
            x[i] = (float) (stepUv > 0 ? Math.round(v / stepUv) * stepUv : v);
            if (i % 301 == 7) {
                x[i] = Float.NaN;
            }
        }
        return x;
    }

    private static double[] minMax(float[] x, int from, int to) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = from; i < to; i++) {
            if (Float.isFinite(x[i])) {
                min = Math.min(min, x[i]);
                max = Math.max(max, x[i]);
            }
        }
        return new double[] {min, max};
    }

    @Test
    void theOnePassTestOnlyAnswersWhenTheExactStepIsBelowTheThreshold() {
        double t = LegChannelStatus.COARSE_STEP_UV;
        int fast = 0;
        int cases = 0;
        for (double step : new double[] {0, 0.1, 1.0, 3.9, 3.99, 4.0, 4.01, 7.5, 31.25}) {
            for (double sigma : new double[] {2, 20, 300}) {
                for (boolean spikes : new boolean[] {false, true}) {
                    for (int[] range : new int[][] {{0, 4801}, {2400, 4801}, {4790, 4801}}) {
                        float[] x = quantised(4801, sigma, step, (long) (step * 100 + sigma), spikes);
                        double[] mm = minMax(x, range[0], range[1]);
                        boolean below = LegChannelStatus.hasStepBelow(x, range[0], range[1], mm[0], mm[1], t);
                        double exact = LegChannelStatus.quantisationStep(x, range[0], range[1]);
                        if (below) {
                            assertThat(exact).as("step " + step + " sigma " + sigma).isLessThan(t);
                            fast++;
                        }
                        cases++;
                    }
                }
            }
        }
        assertThat(cases).isEqualTo(9 * 3 * 2 * 3);
        // fine signals are decided without the sort: every full or half window of a step under 4 µV (and sigma >= 2)
        assertThat(fast).isGreaterThanOrEqualTo(5 * 3 * 2 * 2);
    }

    @Test
    void aFineNoisyWindowIsDecidedInOnePass() {
        float[] x = quantised(4801, 2, 0, 1, false);
        double[] mm = minMax(x, 0, x.length);
        assertThat(LegChannelStatus.hasStepBelow(x, 0, x.length, mm[0], mm[1], 4.0)).isTrue();
    }

    @Test
    void aCoarseWindowStillReportsItsExactStep() {
        float[] x = quantised(4801, 300, 31.25, 3, false);
        LegChannelStatus s = LegChannelStatus.assess(LegSide.LEFT, x, 0, x.length, 200.0, Set.of(), 0);
        assertThat(s.condition()).isEqualTo(LegChannelStatus.Condition.COARSE);
        assertThat(s.detail()).isEqualTo("quantisation step 31.25 µV cannot resolve µV thresholds");
        float[] y = quantised(4801, 300, 3.99, 3, false);
        LegChannelStatus fine = LegChannelStatus.assess(LegSide.LEFT, y, 0, y.length, 200.0, Set.of(), 0);
        assertThat(fine.condition()).isNotEqualTo(LegChannelStatus.Condition.COARSE);
    }
}
