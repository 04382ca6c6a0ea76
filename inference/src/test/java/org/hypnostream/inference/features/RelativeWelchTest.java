package org.hypnostream.inference.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import org.hypnostream.common.event.JsonCodec;
import org.junit.jupiter.api.Test;

/**
 * {@link RelativeWelch} and {@link CausalBandFilter} vs scipy (training/stager/welch.py: sosfilt with the state
 * carried across a bed's epochs, scipy.signal.welch median, np.trapz over closed bands) on synthetic integer-valued
 * epochs, including a gap that restarts the filter. Tolerance: |java - scipy| <= 1e-9 per relative power.
 */
class RelativeWelchTest {
    private static JsonNode root() throws Exception {
        try (InputStream in = RelativeWelchTest.class.getResourceAsStream("/stager/synthetic-welch.json")) {
            return JsonCodec.mapper().readTree(in);
        }
    }

    private static double[][] samples(JsonNode e) {
        double[][] s = new double[3][3000];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 3000; i++) {
                s[c][i] = e.get("samples").get(c).get(i).asDouble();
            }
        }
        return s;
    }

    @Test
    void coefficientsAreScipys() throws Exception {
        JsonNode r = root();
        assertSame(CausalBandFilter.EEG_SOS, r.get("eeg_sos"));
        assertSame(CausalBandFilter.EOG_SOS, r.get("eog_sos"));
        assertSame(CausalBandFilter.EEG_ZI, r.get("eeg_zi"));
        assertSame(CausalBandFilter.EOG_ZI, r.get("eog_zi"));
    }

    private static void assertSame(double[][] java, JsonNode py) {
        assertThat(java.length).isEqualTo(py.size());
        for (int i = 0; i < java.length; i++) {
            for (int j = 0; j < java[i].length; j++) {
                assertThat(java[i][j]).as("[" + i + "][" + j + "]").isCloseTo(py.get(i).get(j).asDouble(),
                        org.assertj.core.data.Offset.offset(1e-15));
            }
        }
    }

    @Test
    void javaMatchesScipyAcrossEpochsAndGaps() throws Exception {
        JsonNode r = root();
        double tol = r.get("tolerance").asDouble();
        RelativeWelch welch = new RelativeWelch();
        int cells = 0;
        for (JsonNode c : r.get("cases")) {
            RelativeWelch.State state = new RelativeWelch.State();
            for (JsonNode e : c.get("epochs")) {
                long index = e.get("index").asLong();
                double[] got = welch.compute(samples(e), state, index);
                assertThat(state.lastIndex()).isEqualTo(index);
                for (int j = 0; j < RelativeWelch.WIDTH; j++) {
                    double ref = e.get("relative").get(j).asDouble();
                    assertThat(Math.abs(got[j] - ref)).as("seed " + c.get("seed") + " epoch " + index + " cell " + j
                            + ": java " + got[j] + " scipy " + ref).isLessThanOrEqualTo(tol);
                    cells++;
                }
                for (int s = 0; s < RelativeWelch.SIGNALS; s++) {
                    double sum = 0;
                    for (int b = 0; b < RelativeWelch.BANDS; b++) {
                        sum += got[s * RelativeWelch.BANDS + b];
                    }
                    assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-12));
                }
            }
        }
        assertThat(cells).isEqualTo(8 * RelativeWelch.WIDTH);
    }

    @Test
    void carriedStateDiffersFromAFreshStart() throws Exception {
        JsonNode e = root().get("cases").get(0).get("epochs");
        RelativeWelch welch = new RelativeWelch();
        RelativeWelch.State carried = new RelativeWelch.State();
        welch.compute(samples(e.get(0)), carried, 0);
        double[] second = welch.compute(samples(e.get(1)), carried, 1);
        double[] fresh = welch.compute(samples(e.get(1)), new RelativeWelch.State(), 1);
        double diff = 0;
        for (int j = 0; j < second.length; j++) {
            diff = Math.max(diff, Math.abs(second[j] - fresh[j]));
        }
        assertThat(diff).as("the filter history must matter").isGreaterThan(1e-9);
    }

    @Test
    void fiftyHertzAndDcAreRemoved() {
        double[] x = new double[3000];
        double[] y = new double[3000];
        for (int i = 0; i < x.length; i++) {
            double alpha = 20 * Math.sin(2 * Math.PI * 10 * i / 100.0);
            x[i] = alpha;
            y[i] = alpha + 500 + 80 * (i % 2 == 0 ? 1 : -1);
        }
        RelativeWelch welch = new RelativeWelch();
        RelativeWelch.State a = new RelativeWelch.State();
        RelativeWelch.State b = new RelativeWelch.State();
        double[] clean = null;
        double[] mains = null;
        for (int k = 0; k < 3; k++) {
            clean = welch.compute(new double[][] {x, x, x}, a, k);
            mains = welch.compute(new double[][] {y, y, y}, b, k);
        }
        for (int j = 0; j < clean.length; j++) {
            assertThat(mains[j]).isCloseTo(clean[j], org.assertj.core.data.Offset.offset(1e-6));
        }
        assertThat(clean[2]).as("a 10 Hz sine is alpha").isGreaterThan(0.99);
    }

    @Test
    void flatSignalIsRejectedAndRestartsTheFilter() {
        RelativeWelch welch = new RelativeWelch();
        RelativeWelch.State s = new RelativeWelch.State();
        double[] flat = new double[3000];
        assertThatThrownBy(() -> welch.compute(new double[][] {flat, flat, flat}, s, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no power");
        assertThat(s.sections()).isNull();
        assertThatThrownBy(() -> welch.compute(new double[][] {flat, flat}, s, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** The Welch PSD as it was computed before the FFT (issue 19): a direct DFT of bins 2..120, a full sort. */
    private static double[] directDftPsd(double[] x) {
        int segments = (x.length - 400) / 200 + 1;
        double sumSq = 0;
        double[] w = new double[400];
        double[] cos = new double[400];
        double[] sin = new double[400];
        for (int n = 0; n < 400; n++) {
            cos[n] = Math.cos(2 * Math.PI * n / 400);
            sin[n] = Math.sin(2 * Math.PI * n / 400);
            w[n] = 0.54 - 0.46 * Math.cos(2 * Math.PI * n / 400);
            sumSq += w[n] * w[n];
        }
        double[][] per = new double[121][segments];
        for (int s = 0; s < segments; s++) {
            double mean = 0;
            for (int n = 0; n < 400; n++) {
                mean += x[s * 200 + n];
            }
            mean /= 400;
            for (int k = 2; k <= 120; k++) {
                double re = 0;
                double im = 0;
                for (int n = 0; n < 400; n++) {
                    double v = (x[s * 200 + n] - mean) * w[n];
                    re += v * cos[k * n % 400];
                    im -= v * sin[k * n % 400];
                }
                per[k][s] = (re * re + im * im) * 2.0 / (100.0 * sumSq);
            }
        }
        double[] out = new double[201];
        for (int k = 2; k <= 120; k++) {
            java.util.Arrays.sort(per[k]);
            int m = segments / 2;
            out[k] = (segments % 2 == 1 ? per[k][m] : 0.5 * (per[k][m - 1] + per[k][m]))
                    / RelativeWelch.medianBias(segments);
        }
        return out;
    }

    @Test
    void fftPsdEqualsTheDirectDftWithinRounding() throws Exception {
        java.util.Random rnd = new java.util.Random(19);
        java.util.List<double[]> signals = new java.util.ArrayList<>();
        for (JsonNode e : root().get("cases").get(0).get("epochs")) {
            signals.addAll(java.util.Arrays.asList(samples(e)));
        }
        for (int t = 0; t < 4; t++) {
            double[] x = new double[3000];
            for (int i = 0; i < x.length; i++) {
                x[i] = 40 * rnd.nextGaussian() + 30 * Math.sin(2 * Math.PI * (0.7 + 7 * t) * i / 100.0) + 500;
            }
            signals.add(x);
        }
        for (double[] x : signals) {
            double[] want = directDftPsd(x);
            double[] got = RelativeWelch.psd(x);
            double max = java.util.Arrays.stream(want).max().orElseThrow();
            assertThat(max).isGreaterThan(0);
            for (int k = 0; k < want.length; k++) {
                if (k < 2 || k > 120) {
                    assertThat(got[k]).isZero();
                } else {
                    assertThat(Math.abs(got[k] - want[k])).as("bin " + k + ": fft " + got[k] + " dft " + want[k])
                            .isLessThanOrEqualTo(1e-12 * max);
                }
            }
        }
    }
}
