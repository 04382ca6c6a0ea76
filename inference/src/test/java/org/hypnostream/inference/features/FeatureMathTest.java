package org.hypnostream.inference.features;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The selection-based {@link FeatureMath#iqr} and the one-pass entropies against their sort-based definitions. */
class FeatureMathTest {
    /** numpy "linear" percentile of sorted s (§2.5), as FeatureMath computed it before issue 19. */
    private static double percentile(double[] sorted, double q) {
        double h = (sorted.length - 1) * q;
        int i = (int) Math.floor(h);
        double t = h - i;
        double a = sorted[i];
        double b = sorted[Math.min(i + 1, sorted.length - 1)];
        double diff = b - a;
        return t < 0.5 ? a + diff * t : b - diff * (1 - t);
    }

    private static double sortedIqr(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return percentile(s, 0.75) - percentile(s, 0.25);
    }

    @Test
    void iqrEqualsTheSortedPercentilesBitForBit() {
        Random r = new Random(19);
        int cases = 0;
        for (int n : new int[] {1, 2, 3, 4, 5, 7, 8, 13, 100, 2999, 3000}) {
            for (int t = 0; t < 40; t++) {
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    v[i] = switch (t % 4) {
                        case 0 -> r.nextGaussian() * 50;
                        case 1 -> r.nextInt(5) - 2; // many ties
                        case 2 -> r.nextBoolean() ? 0.0 : -0.0; // signed zeros only
                        default -> r.nextInt(3) == 0 ? (r.nextBoolean() ? 0.0 : -0.0) : Math.floor(r.nextGaussian() * 3);
                    };
                }
                if (t == 39) {
                    Arrays.sort(v); // sorted and reversed inputs
                    for (int i = 0; i < n / 2; i++) {
                        double x = v[i];
                        v[i] = v[n - 1 - i];
                        v[n - 1 - i] = x;
                    }
                }
                double[] before = v.clone();
                double want = sortedIqr(v);
                double got = FeatureMath.iqr(v);
                assertThat(Double.doubleToRawLongBits(got)).as("n " + n + " case " + t + ": " + got + " vs " + want)
                        .isEqualTo(Double.doubleToRawLongBits(want));
                assertThat(v).as("input untouched").isEqualTo(before);
                cases++;
            }
        }
        assertThat(cases).isEqualTo(11 * 40);
    }

    @Test
    void iqrOfAKnownSample() {
        // numpy: np.percentile([1..10], 75) - np.percentile([1..10], 25) = 7.75 - 3.25
        assertThat(FeatureMath.iqr(new double[] {10, 1, 9, 2, 8, 3, 7, 4, 6, 5})).isEqualTo(4.5);
    }

    @Test
    void entropiesOfSeveralBinCountsEqualOneAtATime() {
        Random r = new Random(7);
        int[] bins = {2, 3, 5, 10, 30, 60, 100};
        for (int t = 0; t < 20; t++) {
            double[] v = new double[3000];
            for (int i = 0; i < v.length; i++) {
                v[i] = t == 0 ? 4.0 : r.nextGaussian() * (t + 1);
            }
            double[] all = FeatureMath.binnedEntropies(v, bins);
            for (int b = 0; b < bins.length; b++) {
                int[] c = FeatureMath.histogram(v, bins[b]);
                double h = 0;
                for (int count : c) {
                    if (count > 0) {
                        double p = (double) count / v.length;
                        h -= p * (Math.log(p) / Math.log(2.0));
                    }
                }
                assertThat(all[b]).isEqualTo(h);
                assertThat(Arrays.stream(c).sum()).isEqualTo(v.length);
            }
        }
    }
}
