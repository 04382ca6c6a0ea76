package org.hypnostream.inference.leg;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.hypnostream.common.event.LegMovementEvent;
import org.hypnostream.common.event.LegSide;
import org.hypnostream.common.time.Micros;
import org.hypnostream.common.wire.LegWindow;

/**
 * LM-level evaluation of the live detector against scored movements (for {@code hypnostream evaluate lm}): the
 * recording is cut into the same 4801-sample leg windows (hop 2400, the tail padded with NaN) and run through the
 * same {@link LegMovementDetector} as live. A found movement matches a scored one of the same leg when they
 * overlap (one-to-one, largest overlap first). PLM series and indices are computed by the caller with the
 * stream-processor's batch scorer on {@link Result#found()} and on the scored movements.
 */
public final class LmEvaluation {
    static final int HOP = 2400;
    private static final long SESSION_START_MICROS = 0L;

    private LmEvaluation() {
    }

    /** A movement in seconds from the start of the recording; side LEFT or RIGHT. */
    public record Movement(double onsetSeconds, double durationSeconds, LegSide side) {
        public Movement {
            Objects.requireNonNull(side, "side");
            if (!(durationSeconds >= 0) || !Double.isFinite(onsetSeconds)) {
                throw new IllegalArgumentException("movement at " + onsetSeconds + " s: bad onset or duration "
                        + durationSeconds + " s");
            }
        }

        double offsetSeconds() {
            return onsetSeconds + durationSeconds;
        }
    }

    /**
     * @param meanAbsOnsetErrorSeconds mean |found onset - scored onset| over matches, NaN without matches
     */
    public record Result(List<Movement> found, int truePositives, int falsePositives, int falseNegatives,
            double precision, double recall, double f1, double meanAbsOnsetErrorSeconds, List<LegChannelStatus> problems) {
        public Result {
            found = List.copyOf(found);
            problems = List.copyOf(problems);
        }
    }

    /** Runs the detector on both legs (µV; a missing leg = null) and compares with {@code scored}. */
    public static Result evaluate(float[] leftUv, float[] rightUv, double rateHz, List<Movement> scored,
            LegRules rules) {
        int n = leftUv != null ? leftUv.length : rightUv != null ? rightUv.length : 0;
        float[] l = padded(leftUv, n);
        float[] r = padded(rightUv, n);
        LegMovementDetector d = new LegMovementDetector(rules);
        LegMovementDetector.State s = d.newState();
        List<Movement> found = new ArrayList<>();
        List<LegChannelStatus> problems = new ArrayList<>();
        Instant now = Instant.EPOCH;
        for (int k = 0; (long) k * HOP < Math.max(1, n - LegWindow.SAMPLES + HOP); k++) {
            int from = k * HOP;
            LegWindow w = new LegWindow("evaluate", k, SESSION_START_MICROS, rateHz, HOP,
                    Arrays.copyOfRange(l, from, from + LegWindow.SAMPLES),
                    Arrays.copyOfRange(r, from, from + LegWindow.SAMPLES), Set.of(), Set.of(), 0);
            LegDetection det = d.detect(s, w, now);
            for (LegMovementEvent e : det.movements()) {
                double on = (Micros.of(e.onset()) - SESSION_START_MICROS) / 1e6;
                found.add(new Movement(on, e.durationSeconds(), e.side()));
            }
            for (LegChannelStatus st : new LegChannelStatus[] {det.left(), det.right()}) {
                if (st != null && st.condition() != LegChannelStatus.Condition.OK) {
                    problems.add(st);
                }
            }
        }
        return compare(found, scored, problems);
    }

    /** One-to-one overlap matching of found against scored movements, per leg. */
    static Result compare(List<Movement> found, List<Movement> scored, List<LegChannelStatus> problems) {
        boolean[] used = new boolean[found.size()];
        int tp = 0;
        double err = 0;
        for (Movement t : scored) {
            int best = -1;
            double bestOverlap = 0;
            for (int i = 0; i < found.size(); i++) {
                Movement f = found.get(i);
                double ov = Math.min(f.offsetSeconds(), t.offsetSeconds()) - Math.max(f.onsetSeconds(), t.onsetSeconds());
                if (!used[i] && f.side() == t.side() && ov > 0 && ov > bestOverlap) {
                    best = i;
                    bestOverlap = ov;
                }
            }
            if (best >= 0) {
                used[best] = true;
                tp++;
                err += Math.abs(found.get(best).onsetSeconds() - t.onsetSeconds());
            }
        }
        int fp = found.size() - tp;
        int fn = scored.size() - tp;
        double p = found.isEmpty() ? 0 : (double) tp / found.size();
        double rc = scored.isEmpty() ? 0 : (double) tp / scored.size();
        double f1 = p + rc == 0 ? 0 : 2 * p * rc / (p + rc);
        return new Result(found, tp, fp, fn, p, rc, f1, tp == 0 ? Double.NaN : err / tp, problems);
    }

    private static float[] padded(float[] x, int n) {
        int len = Math.max(LegWindow.SAMPLES, ((Math.max(0, n - LegWindow.SAMPLES) + HOP - 1) / HOP) * HOP
                + LegWindow.SAMPLES);
        float[] out = new float[len];
        Arrays.fill(out, Float.NaN);
        if (x != null) {
            System.arraycopy(x, 0, out, 0, x.length);
        }
        return out;
    }
}
