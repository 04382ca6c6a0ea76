package org.hypnostream.stream.signal;

import java.util.Set;
import org.hypnostream.common.wire.QualityFlag;

/** Per-window signal checks on an output row: FLAT (range below a threshold) and CLIPPED (runs at the rails). */
public final class QualityChecks {
    /** A run of at least this many consecutive samples at the row's extreme counts as sitting at a rail. */
    static final int CLIP_RUN = 5;
    /** Share of finite samples in such runs that makes a row CLIPPED. */
    static final double CLIP_SHARE = 0.02;

    private QualityChecks() {
    }

    /** Adds FLAT or CLIPPED to {@code out} when the finite samples of {@code row} show it. */
    public static void assess(float[] row, double flatRangeMicrovolts, Set<QualityFlag> out) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        int finite = 0;
        for (float v : row) {
            if (Float.isFinite(v)) {
                finite++;
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        if (finite == 0) {
            return;
        }
        double range = (double) max - min;
        if (range < flatRangeMicrovolts) {
            out.add(QualityFlag.FLAT);
            return;
        }
        double tol = 1e-4 * range;
        int atRails = railRuns(row, max - tol, true) + railRuns(row, min + tol, false);
        if (atRails >= CLIP_SHARE * finite) {
            out.add(QualityFlag.CLIPPED);
        }
    }

    private static int railRuns(float[] row, double threshold, boolean upper) {
        int total = 0;
        int run = 0;
        for (float v : row) {
            boolean at = Float.isFinite(v) && (upper ? v >= threshold : v <= threshold);
            if (at) {
                run++;
            } else {
                total += run >= CLIP_RUN ? run : 0;
                run = 0;
            }
        }
        return total + (run >= CLIP_RUN ? run : 0);
    }
}
