package org.hypnostream.ingest.source;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.hypnostream.common.event.LegSide;
import org.hypnostream.common.event.Stage;

/**
 * The deterministic plan of a synthetic night: a hypnogram of 4-5 sleep cycles (N3 early, REM longer later, brief
 * awakenings) and the leg movements (periodic series with IMI 20-40 s in N2, isolated movements in wake).
 */
final class SyntheticNight {
    static final double EPOCH_SECONDS = 30.0;
    private static final double[] N3_SHARE = {0.40, 0.28, 0.10, 0.03, 0.0};
    private static final double[] REM_SHARE = {0.10, 0.18, 0.26, 0.32, 0.38};

    final List<Stage> hypnogram;
    final List<TrueLegMovement> legMovements;

    SyntheticNight(long seed, int epochs) {
        SplittableRandom rnd = new SplittableRandom(seed);
        this.hypnogram = Collections.unmodifiableList(hypnogram(rnd, epochs));
        this.legMovements = Collections.unmodifiableList(legMovements(rnd, hypnogram));
    }

    private static List<Stage> hypnogram(SplittableRandom rnd, int epochs) {
        List<Stage> h = new ArrayList<>(epochs);
        int wake = Math.max(2, Math.min(epochs / 20, 20 + rnd.nextInt(21)));
        add(h, Stage.W, wake);
        int cycles = 4 + rnd.nextInt(2);
        int finalWake = Math.max(1, Math.min(epochs / 50, 2 + rnd.nextInt(5)));
        int sleep = Math.max(0, epochs - wake - finalWake);
        for (int c = 0; c < cycles; c++) {
            int len = c == cycles - 1 ? sleep - (sleep / cycles) * (cycles - 1) : sleep / cycles;
            int n1 = Math.min(len, 1 + rnd.nextInt(Math.max(1, len / 30 + 1)) + (c == 0 ? 2 : 0));
            int n3 = (int) Math.round(len * N3_SHARE[c] * (0.85 + 0.3 * rnd.nextDouble()));
            int rem = (int) Math.round(len * REM_SHARE[c] * (0.85 + 0.3 * rnd.nextDouble()));
            int awake = c > 0 && rnd.nextBoolean() ? 1 + rnd.nextInt(2) : 0;
            int n2 = len - n1 - n3 - rem - awake;
            if (n2 < 0) {
                n3 = Math.max(0, n3 + n2);
                n2 = 0;
            }
            add(h, Stage.N1, n1);
            int firstN2 = n2 / 2;
            add(h, Stage.N2, firstN2);
            add(h, Stage.N3, n3);
            add(h, Stage.N2, n2 - firstN2);
            add(h, Stage.REM, Math.max(0, len - n1 - n2 - n3 - awake));
            add(h, Stage.W, awake);
        }
        while (h.size() < epochs) {
            h.add(Stage.W);
        }
        return new ArrayList<>(h.subList(0, epochs));
    }

    private static void add(List<Stage> h, Stage s, int n) {
        for (int i = 0; i < n; i++) {
            h.add(s);
        }
    }

    private static List<TrueLegMovement> legMovements(SplittableRandom rnd, List<Stage> h) {
        List<TrueLegMovement> out = new ArrayList<>();
        double end = h.size() * EPOCH_SECONDS;
        double t = 60.0 + rnd.nextDouble() * 120.0;
        while (t < end - 60) {
            Stage s = h.get((int) (t / EPOCH_SECONDS));
            if (s == Stage.N2 || s == Stage.N1) {
                int count = 5 + rnd.nextInt(16);
                LegSide side = LegSide.values()[rnd.nextInt(3)];
                for (int i = 0; i < count && t < end - 20; i++) {
                    double dur = 0.8 + rnd.nextDouble() * 3.5;
                    out.add(new TrueLegMovement(round(t), round(t + dur), side, true));
                    t += 20.0 + rnd.nextDouble() * 20.0;
                }
                t += 120.0 + rnd.nextDouble() * 600.0;
            } else if (s == Stage.W && rnd.nextInt(4) == 0) {
                double dur = 1.0 + rnd.nextDouble() * 6.0;
                out.add(new TrueLegMovement(round(t), round(t + dur), LegSide.values()[rnd.nextInt(3)], false));
                t += 90.0 + rnd.nextDouble() * 200.0;
            } else {
                t += 60.0 + rnd.nextDouble() * 120.0;
            }
        }
        return out;
    }

    /** Times on the 200 Hz sample lattice, so ground truth and signal agree exactly. */
    private static double round(double seconds) {
        return Math.round(seconds * 200.0) / 200.0;
    }
}
