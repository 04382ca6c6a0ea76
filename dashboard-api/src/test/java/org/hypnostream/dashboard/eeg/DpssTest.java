package org.hypnostream.dashboard.eeg;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class DpssTest {
    @Test
    void tapersAreOrthonormalAndMatchScipy() throws Exception {
        double[][] w = Dpss.tapers(400, 2, 3);
        for (int a = 0; a < 3; a++) {
            for (int b = 0; b < 3; b++) {
                double dot = 0;
                for (int i = 0; i < 400; i++) {
                    dot += w[a][i] * w[b][i];
                }
                assertThat(dot).as("taper %d . taper %d", a, b).isCloseTo(a == b ? 1 : 0, org.assertj.core.data.Offset.offset(1e-8));
            }
        }
        Process p = new ProcessBuilder("/usr/bin/python3", "-c",
                "from scipy.signal.windows import dpss\nw = dpss(400, 2, 3)\nprint(' '.join(repr(float(v)) for v in w.ravel()))")
                .redirectErrorStream(true).start();
        boolean done = p.waitFor(120, TimeUnit.SECONDS);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!done || p.exitValue() != 0) {
            System.err.println("skipping scipy comparison: " + out);
        }
        Assumptions.assumeTrue(done && p.exitValue() == 0, "scipy dpss unavailable");
        String[] v = out.split(" ");
        assertThat(v).hasSize(1200);
        for (int k = 0; k < 3; k++) {
            for (int i = 0; i < 400; i++) {
                assertThat(w[k][i]).as("taper %d sample %d", k, i).isCloseTo(Double.parseDouble(v[k * 400 + i]),
                        org.assertj.core.data.Offset.offset(1e-6));
            }
        }
    }

    @Test
    void aTenHertzSineHasItsPeakAtTenHertz() {
        MultitaperSpectrogram s = new MultitaperSpectrogram(100, 4, 2, 2, 3, 30);
        float[] x = new float[3000];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (50 * Math.sin(2 * Math.PI * 10 * i / 100.0) + 5 * Math.sin(2 * Math.PI * 3.3 * i / 100.0));
        }
        x[2900] = Float.NaN;
        float[][] cols = s.columns(x);
        assertThat(cols.length).isEqualTo(14);
        assertThat(s.bins()).isEqualTo(121);
        int peak = 0;
        for (int f = 0; f < s.bins(); f++) {
            if (cols[0][f] > cols[0][peak]) {
                peak = f;
            }
        }
        assertThat(peak * s.binHz()).isEqualTo(10.0);
        // total power of a sine of amplitude 50 is 1250 µV²: the PSD integrates to it
        double total = 0;
        for (int f = 0; f < s.bins(); f++) {
            total += Math.pow(10, cols[0][f] / 10) * s.binHz();
        }
        assertThat(total).isBetween(1250 * 0.9 + 12.5 * 0.9, 1262.5 * 1.1);
        assertThat(cols[13][40]).isNaN();
    }
}
