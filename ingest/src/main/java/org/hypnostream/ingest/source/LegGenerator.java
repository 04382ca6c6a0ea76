package org.hypnostream.ingest.source;

import java.util.List;
import java.util.SplittableRandom;
import org.hypnostream.common.event.LegSide;

/**
 * Generates the two 200 Hz leg EMG channels (left, right) of a synthetic bed: a low baseline with ECG bleed and
 * 50 Hz mains, and 10-100 Hz noise bursts exactly over the ground-truth leg movements.
 */
final class LegGenerator {
    static final double RATE = 200.0;
    private static final double EDGE_SECONDS = 0.04;

    private final SplittableRandom rnd;
    private final List<TrueLegMovement> movements;
    private final float[] beat = Waves.heartbeat(RATE);
    private final double beatInterval;
    private final double[] low = new double[2];
    private final double[] amplitude = new double[2];
    private double heartClock;
    private double mainsPhase;
    private int next;
    private long n;

    LegGenerator(long seed, double heartRateBpm, List<TrueLegMovement> movements) {
        this.rnd = new SplittableRandom(seed);
        this.movements = movements;
        this.beatInterval = RATE * 60.0 / heartRateBpm;
    }

    /** Fills {@code out[2][200]} (left, right) with the next second in µV. */
    void next(float[][] out) {
        int samples = out[0].length;
        double t0 = n / RATE;
        double t1 = (n + samples) / RATE;
        while (next < movements.size() && movements.get(next).offsetSeconds() <= t0) {
            next++;
        }
        for (int i = 0; i < samples; i++, n++) {
            double t = n / RATE;
            heartClock += 1;
            if (heartClock >= beatInterval) {
                heartClock -= beatInterval;
            }
            int k = (int) heartClock;
            double cardiac = k < beat.length ? beat[k] : 0.0;
            mainsPhase = Waves.advance(mainsPhase, 50.0 / RATE);
            double common = 7 * cardiac + 2.0 * Waves.sin(mainsPhase);
            for (int side = 0; side < 2; side++) {
                double envelope = envelope(t, side == 0 ? LegSide.LEFT : LegSide.RIGHT, t1);
                double white = rnd.nextGaussian();
                low[side] += 0.27 * (white - low[side]);
                double burst = envelope > 0 ? amplitude[side] * envelope * (white - low[side]) : 0.0;
                out[side][i] = (float) (1.5 * rnd.nextGaussian() + burst + common);
            }
        }
    }

    /** 0..1 activity of one leg at time t (trapezoid over each movement covering that leg). */
    private double envelope(double t, LegSide leg, double blockEnd) {
        for (int m = next; m < movements.size(); m++) {
            TrueLegMovement lm = movements.get(m);
            if (lm.onsetSeconds() >= blockEnd) {
                break;
            }
            if (t >= lm.onsetSeconds() && t < lm.offsetSeconds() && (lm.side() == leg || lm.side() == LegSide.BILATERAL)) {
                int side = leg == LegSide.LEFT ? 0 : 1;
                amplitude[side] = 35 + 0.25 * ((m * 7919L + side * 104729L) % 100); // 35-60 µV per movement
                double e = Math.min(1.0, Math.min(t - lm.onsetSeconds(), lm.offsetSeconds() - t) / EDGE_SECONDS);
                return Math.max(0.15, e);
            }
        }
        return 0.0;
    }
}
