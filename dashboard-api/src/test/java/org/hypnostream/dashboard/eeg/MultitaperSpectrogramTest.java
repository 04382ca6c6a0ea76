package org.hypnostream.dashboard.eeg;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.hypnostream.common.wire.Epoch;
import org.junit.jupiter.api.Test;

/**
 * The FFT spectrogram against the direct DFT it replaced (issue 19): the same columns within float precision of the
 * dB values, on real Sleep-EDF EEG and on window lengths that are not powers of two, odd ones included.
 */
class MultitaperSpectrogramTest {
    /** Bound on |dB(FFT) - dB(direct DFT)|: a few float ulps of values around +-60 dB (1 ulp at 64 is 7.6e-6). */
    private static final double MAX_DB_DIFFERENCE = 1e-4;

    @Test
    void realEegGivesTheDirectDftsColumnsWithinFloatPrecision() throws Exception {
        MultitaperSpectrogram s = MultitaperSpectrogram.of(100, EegFrame.WINDOW_S, EegFrame.STEP_S, 2, 3, 30);
        double worst = 0;
        int values = 0;
        int tenthsDiffering = 0;
        int floatsDiffering = 0;
        for (Epoch e : SnippetEeg.epochs("bed-real")) {
            for (int c = 0; c < e.samples().length; c++) {
                float[][] fft = s.columns(e.samples()[c]);
                float[][] direct = directDft(e.samples()[c], 100, 400, 200, 2, 3, 121);
                assertThat(fft.length).isEqualTo(14).isEqualTo(direct.length);
                for (int j = 0; j < fft.length; j++) {
                    assertThat(fft[j]).hasSize(121);
                    for (int f = 0; f < 121; f++) {
                        double d = Math.abs(fft[j][f] - direct[j][f]);
                        assertThat(d).as("epoch %d channel %d column %d bin %d: %s vs %s dB", e.index(), c, j, f, fft[j][f], direct[j][f])
                                .isLessThanOrEqualTo(MAX_DB_DIFFERENCE);
                        worst = Math.max(worst, d);
                        floatsDiffering += fft[j][f] == direct[j][f] ? 0 : 1;
                        values++;
                        int a = Math.round(fft[j][f] * 10);
                        int b = Math.round(direct[j][f] * 10);
                        assertThat(Math.abs(a - b)).as("tenths of a dB, epoch %d channel %d column %d bin %d", e.index(), c, j, f).isLessThanOrEqualTo(1);
                        tenthsDiffering += a == b ? 0 : 1;
                    }
                }
            }
        }
        assertThat(values).isEqualTo(10 * 3 * 14 * 121);
        System.out.printf("spectrogram FFT vs direct DFT on real EEG: %d values, max |dB difference| %s, floats differing %d, tenths differing %d%n",
                values, worst, floatsDiffering, tenthsDiffering);
    }

    @Test
    void anyWindowLengthAndTheNyquistBinMatchTheDirectDft() {
        Random r = new Random(19);
        // windows of 400 (even, Nyquist bin n/2 included), 399 (odd, last bin (n-1)/2) and 9 samples, all bins to Nyquist
        double[][] cases = {{100, 4, 2, 50}, {100, 3.99, 1.5, 50}, {2, 4.5, 1, 1}};
        for (double[] k : cases) {
            double rate = k[0];
            MultitaperSpectrogram s = new MultitaperSpectrogram(rate, k[1], k[2], 2, 3, k[3]);
            int window = (int) Math.round(k[1] * rate);
            int step = (int) Math.round(k[2] * rate);
            assertThat(s.bins()).as("window %d", window).isEqualTo(window / 2 + 1);
            float[] x = new float[3 * window + 7];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (40 * Math.sin(2 * Math.PI * 0.23 * i) + 15 * r.nextGaussian() + 3);
            }
            x[((x.length - window) / step) * step + window - 1] = Float.NaN; // the last sample of the last window
            float[][] fft = s.columns(x);
            float[][] direct = directDft(x, rate, window, step, 2, 3, s.bins());
            assertThat(fft.length).as("window %d", window).isEqualTo(direct.length).isGreaterThan(2);
            for (int j = 0; j < fft.length; j++) {
                for (int f = 0; f < s.bins(); f++) {
                    if (Float.isNaN(direct[j][f])) {
                        assertThat(fft[j][f]).as("window %d column %d bin %d", window, j, f).isNaN();
                    } else {
                        assertThat((double) fft[j][f]).as("window %d column %d bin %d", window, j, f)
                                .isCloseTo(direct[j][f], org.assertj.core.data.Offset.offset(MAX_DB_DIFFERENCE));
                    }
                }
            }
            assertThat(fft[fft.length - 1][0]).as("the window with a missing sample").isNaN();
        }
    }

    /** The spectrogram as it was computed before the FFT: a direct DFT per taper per bin per window, in double. */
    private static float[][] directDft(float[] x, double rateHz, int window, int step, double nw, int k, int bins) {
        double[][] tapers = Dpss.tapers(window, nw, k);
        int count = x.length < window ? 0 : (x.length - window) / step + 1;
        float[][] out = new float[count][bins];
        for (int j = 0; j < count; j++) {
            double mean = 0;
            boolean bad = false;
            for (int t = 0; t < window; t++) {
                bad |= !Float.isFinite(x[j * step + t]);
                mean += x[j * step + t];
            }
            if (bad) {
                java.util.Arrays.fill(out[j], Float.NaN);
                continue;
            }
            mean /= window;
            for (int f = 0; f < bins; f++) {
                double p = 0;
                for (double[] taper : tapers) {
                    double re = 0;
                    double im = 0;
                    for (int t = 0; t < window; t++) {
                        double v = (x[j * step + t] - mean) * taper[t];
                        double ph = 2 * Math.PI * f * (double) t / window;
                        re += v * Math.cos(ph);
                        im -= v * Math.sin(ph);
                    }
                    p += re * re + im * im;
                }
                p /= k * rateHz;
                if (f > 0 && 2 * f != window) {
                    p *= 2;
                }
                out[j][f] = (float) (10 * Math.log10(p + 1e-12));
            }
        }
        return out;
    }
}
