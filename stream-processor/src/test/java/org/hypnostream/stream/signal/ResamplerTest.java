package org.hypnostream.stream.signal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Random;
import org.hypnostream.stream.TestBlocks;
import org.junit.jupiter.api.Test;

class ResamplerTest {

    private static float[] run(Resampler r, float[] in) {
        Timeline t = new Timeline(0);
        for (float x : in) {
            r.push(x, t);
        }
        return t.copy(0, (int) t.end());
    }

    private static float[] sine(double amp, double hz, double rate, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (amp * Math.sin(2 * Math.PI * hz * i / rate));
        }
        return x;
    }

    /** Peak absolute value of y over [from, to). */
    private static double peak(float[] y, int from, int to) {
        double m = 0;
        for (int i = from; i < to; i++) {
            m = Math.max(m, Math.abs(y[i]));
        }
        return m;
    }

    @Test
    void equalRatesPassFloatsThroughBitExactly() {
        Random rnd = new Random(7);
        float[] in = new float[1000];
        for (int i = 0; i < in.length; i++) {
            in[i] = Float.intBitsToFloat(rnd.nextInt() & 0x7f7fffff) * (rnd.nextBoolean() ? 1 : -1);
        }
        float[] out = run(new Resampler(100, 100, 0), in);
        assertThat(out).hasSize(in.length);
        for (int i = 0; i < in.length; i++) {
            assertThat(Float.floatToRawIntBits(out[i])).isEqualTo(Float.floatToRawIntBits(in[i]));
        }
    }

    @Test
    void tenHertzAt256KeepsItsAmplitudeAt100() {
        float[] out = run(new Resampler(256, 100, 0), sine(50, 10, 256, 256 * 20));
        assertThat(out.length).isBetween(1995, 2000);
        assertThat(TestBlocks.amplitude(out, 10, 100, 100, 1800)).isBetween(49.5, 50.5);
        assertThat(peak(out, 100, 1900)).isBetween(45.0, 50.5);
    }

    @Test
    void fortyFiveHertzAt256IsAttenuatedAt100() {
        float[] out = run(new Resampler(256, 100, 0), sine(50, 45, 256, 256 * 20));
        assertThat(peak(out, 200, out.length)).isLessThan(0.5);
        assertThat(TestBlocks.amplitude(out, 45, 100, 100, 1800)).isLessThan(0.5);
    }

    @Test
    void aliasFromAboveTheOutputNyquistIsRemoved() {
        // 70 Hz at 256 Hz would fold to 30 Hz at 100 Hz without the anti-alias filter
        float[] out = run(new Resampler(256, 100, 0), sine(50, 70, 256, 256 * 20));
        assertThat(peak(out, 200, out.length)).isLessThan(0.5);
    }

    @Test
    void noLaterSampleInfluencesAnOutput() {
        float[] a = sine(50, 7, 256, 256 * 10);
        float[] b = a.clone();
        int cut = 256 * 5 + 17; // inputs from here on differ
        for (int i = cut; i < b.length; i++) {
            b[i] = 1000f;
        }
        float[] ya = run(new Resampler(256, 100, 0), a);
        float[] yb = run(new Resampler(256, 100, 0), b);
        // output k (time k/100) may only use inputs with time <= k/100, i.e. index <= k*256/100
        int lastSafe = (int) Math.floor((cut - 1) * 100.0 / 256);
        for (int k = 0; k <= lastSafe; k++) {
            assertThat(yb[k]).as("output %d", k).isEqualTo(ya[k]);
        }
        assertThat(yb[lastSafe + 1]).isNotEqualTo(ya[lastSafe + 1]);
    }

    @Test
    void nanInputSpoilsOnlyOutputsWithinTheFilterSpan() {
        float[] x = sine(50, 5, 256, 256 * 10);
        x[1280] = Float.NaN;
        Resampler r = new Resampler(256, 100, 0);
        float[] y = run(r, x);
        int first = (int) r.firstOutputOf(1280);
        int last = (int) r.lastOutputOf(1280);
        for (int k = 0; k < y.length; k++) {
            assertThat(Float.isNaN(y[k])).as("output %d", k).isEqualTo(k >= first && k <= last);
        }
    }

    @Test
    void stateRoundTripContinuesIdentically() throws IOException {
        float[] x = sine(30, 3, 256, 256 * 8);
        float[] whole = run(new Resampler(256, 100, 0), x);
        Resampler r = new Resampler(256, 100, 0);
        Timeline t = new Timeline(0);
        for (int i = 0; i < 1000; i++) {
            r.push(x[i], t);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        r.write(new DataOutputStream(bytes));
        Resampler back = Resampler.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        for (int i = 1000; i < x.length; i++) {
            back.push(x[i], t);
        }
        assertThat(t.copy(0, (int) t.end())).containsExactly(whole);
    }

    @Test
    void groupDelayIsHalfTheSpanAndUnderAQuarterSecond() {
        LowPassKernel k = new LowPassKernel(256, 100);
        assertThat(k.groupDelaySeconds()).isEqualTo(k.spanSeconds() / 2).isBetween(0.05, 0.25);
        assertThat(new Resampler(100, 100, 0).groupDelaySeconds()).isZero();
    }

    /**
     * The resampler's definition written out naively (floorMod ring index and {@link LowPassKernel#weight} per tap,
     * every tap in ascending j): the optimised hot loop must give the same bits.
     */
    private static float[] reference(double in, double out, float[] x) {
        LowPassKernel kernel = LowPassKernel.of(in, out);
        double eps = 1e-9;
        float[] hist = new float[(int) Math.ceil(kernel.spanSeconds() * in) + 3];
        java.util.List<Float> y = new java.util.ArrayList<>();
        long lastNan = Long.MIN_VALUE;
        long nextOut = 0;
        for (int p = 0; p < x.length; p++) {
            if (p == 0) {
                java.util.Arrays.fill(hist, x[0]);
            }
            hist[Math.floorMod(p, hist.length)] = x[p];
            if (!Float.isFinite(x[p])) {
                lastNan = p;
            }
            while ((long) Math.floor(nextOut * in / out + eps) <= p) {
                long k = nextOut++;
                long lo = (long) Math.ceil((k / out - kernel.spanSeconds()) * in - eps);
                long hi = (long) Math.floor(k * in / out + eps);
                if (lastNan >= lo) {
                    y.add(Float.NaN);
                    continue;
                }
                double sum = 0.0;
                for (long j = lo; j <= hi; j++) {
                    sum += kernel.weight(k, j) * hist[(int) Math.floorMod(j, (long) hist.length)];
                }
                y.add((float) sum);
            }
        }
        float[] r = new float[y.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = y.get(i);
        }
        return r;
    }

    @Test
    void outputsAreBitIdenticalToTheNaiveDefinition() {
        double[][] pairs = {{256, 100}, {200, 100}, {250, 100}, {500, 128}, {100, 256}, {255.5, 100}};
        Random rnd = new Random(11);
        for (double[] pair : pairs) {
            int n = (int) (pair[0] * 12);
            float[] x = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = (float) (80 * Math.sin(2 * Math.PI * 9.3 * i / pair[0]) + 20 * rnd.nextGaussian() + 1e-3 * rnd.nextFloat());
            }
            x[n / 2] = Float.NaN;
            x[n / 3] = Float.POSITIVE_INFINITY;
            float[] got = run(new Resampler(pair[0], pair[1], 0), x);
            float[] want = reference(pair[0], pair[1], x);
            assertThat(got).as("%s -> %s", pair[0], pair[1]).hasSameSizeAs(want);
            int nans = 0;
            for (int i = 0; i < want.length; i++) {
                nans += Float.isNaN(want[i]) ? 1 : 0;
                assertThat(Float.floatToRawIntBits(got[i])).as("%s -> %s output %d", pair[0], pair[1], i)
                        .isEqualTo(Float.floatToRawIntBits(want[i]));
            }
            assertThat(nans).as("the spoiled span is exercised").isPositive().isLessThan(want.length / 2);
        }
    }
}
