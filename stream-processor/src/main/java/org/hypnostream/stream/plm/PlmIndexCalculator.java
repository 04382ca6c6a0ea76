package org.hypnostream.stream.plm;

import java.util.ArrayList;
import java.util.List;

/**
 * The standard PLM numbers (plm-rules.md, "Indices"): PLMS index = PLMs in sleep per hour of sleep; PLMW index =
 * PLMs in wake per hour of wake; LM index = LMs per hour of recording; periodicity index = PLMs / CLMs; IMI
 * histogram in 10-s bins 0-90 s plus one > 90 s bin. An index over zero hours is 0 (never NaN on the wire).
 */
public final class PlmIndexCalculator {
    /** 9 bins of 10 s from 0 to 90 s, then > 90 s. */
    public static final int IMI_BINS = 10;

    private PlmIndexCalculator() {
    }

    /** The running numbers of one bed. */
    public record Indices(double lmIndex, double plmsIndex, double plmwIndex, double periodicityIndex) {
    }

    public static Indices compute(long lmCount, long clmCount, long plmCount, long plmsCount, long plmwCount,
            double sleepHours, double wakeHours, double recordingHours) {
        return new Indices(perHour(lmCount, recordingHours), perHour(plmsCount, sleepHours),
                perHour(plmwCount, wakeHours), clmCount == 0 ? 0.0 : (double) plmCount / clmCount);
    }

    public static double perHour(long count, double hours) {
        return hours > 0 ? count / hours : 0.0;
    }

    /** IMI histogram bin of an interval in seconds: floor(imi / 10) for 0-90 s (90 s itself in the last 10-s bin). */
    public static int imiBin(double imiSeconds) {
        if (imiSeconds > PlmRuleSet.IMI_MAX_S) {
            return IMI_BINS - 1;
        }
        return Math.min(IMI_BINS - 2, (int) Math.floor(Math.max(0, imiSeconds) / 10.0));
    }

    public static List<Long> emptyHistogram() {
        List<Long> h = new ArrayList<>(IMI_BINS);
        for (int i = 0; i < IMI_BINS; i++) {
            h.add(0L);
        }
        return h;
    }

    /**
     * PLMS index over the rolling window of the last {@code windowEpochs} sleep epochs, given the sleep epochs
     * (ascending, already trimmed to the window) and the onset epochs of PLMs in sleep; NaN when the window holds
     * less than {@code minSleepEpochs} of sleep (not enough sleep to judge).
     */
    public static double rollingPlmsIndex(List<Long> sleepEpochs, List<Long> plmsEpochs, int minSleepEpochs,
            double epochSeconds) {
        if (sleepEpochs.size() < minSleepEpochs || sleepEpochs.isEmpty()) {
            return Double.NaN;
        }
        long oldest = sleepEpochs.get(0);
        long n = plmsEpochs.stream().filter(e -> e >= oldest).count();
        return perHour(n, sleepEpochs.size() * epochSeconds / 3600.0);
    }
}
