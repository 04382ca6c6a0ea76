package org.hypnostream.stream.plm;

import java.util.ArrayList;
import java.util.List;
import org.hypnostream.common.event.Stage;

/**
 * The night of one bed as the PLM indices see it, pure functions on {@link BedPlmState}: each epoch's sleep / wake
 * mark, the study window (lights-off to lights-on, by epoch midpoint), and the runs of wake longer than 90 s that
 * bridge a PLM series under the rule sets that say so. {@link PlmScorer} scores; this keeps the night.
 */
final class PlmNight {
    private PlmNight() {
    }

    /** At most this many epochs (4 days) are kept in {@link BedPlmState#night}; later ones count in no index. */
    static final int MAX_NIGHT_EPOCHS = 4 * 2880;

    static void mark(BedPlmState s, long epoch, Stage stage) {
        if (epoch >= MAX_NIGHT_EPOCHS) {
            return;
        }
        StringBuilder b = new StringBuilder(s.night);
        while (b.length() <= epoch) {
            b.append('.');
        }
        b.setCharAt((int) epoch, stage.isSleep() ? 'S' : stage == Stage.W ? 'W' : '?');
        s.night = b.toString();
    }

    /** Whether epoch {@code epoch}'s midpoint lies in the study window (the rule of SleepStatistics). */
    static boolean inWindow(BedPlmState s, Long epoch) {
        if (epoch == null || s.sessionStartMicros == null) {
            return false;
        }
        long mid = s.sessionStartMicros + epoch * s.epochMicros + s.epochMicros / 2;
        return (s.lightsOffMicros == null || mid >= s.lightsOffMicros) && (s.lightsOnMicros == null || mid < s.lightsOnMicros);
    }

    /** Follows runs of wake epochs (stage events in epoch order) and keeps those longer than 90 s. */
    static void trackWakeRun(BedPlmState s, long epoch, Stage stage) {
        boolean contiguous = epoch == s.maxEpochSeen + 1;
        if (stage == Stage.W) {
            if (s.wakeRunStart < 0 || !contiguous) {
                closeWakeRun(s, s.maxEpochSeen + 1);
                s.wakeRunStart = epoch;
            }
        } else {
            closeWakeRun(s, s.maxEpochSeen + 1);
        }
        // keep 12 h of long wake runs: enough for any series interval
        long keepFrom = epoch - Math.round(12 * 3600e6 / s.epochMicros);
        s.longWakeRuns.headMap(keepFrom).entrySet().removeIf(r -> r.getValue() < keepFrom);
    }

    private static void closeWakeRun(BedPlmState s, long endEpoch) {
        if (s.wakeRunStart >= 0 && (endEpoch - s.wakeRunStart) * s.epochMicros > PlmRuleSet.LONG_WAKE_S * 1e6) {
            s.longWakeRuns.put(s.wakeRunStart, endEpoch);
        }
        s.wakeRunStart = -1;
    }

    /** Seconds of wake periods longer than 90 s (finished, or running now) within [from, to). */
    static double longWakeSeconds(BedPlmState s, Long from, long to) {
        if (from == null || s.sessionStartMicros == null) {
            return 0.0;
        }
        long total = 0;
        List<long[]> runs = new ArrayList<>();
        s.longWakeRuns.forEach((a, b) -> runs.add(new long[] {a, b}));
        long open = s.maxEpochSeen + 1;
        if (s.wakeRunStart >= 0 && (open - s.wakeRunStart) * s.epochMicros > PlmRuleSet.LONG_WAKE_S * 1e6) {
            runs.add(new long[] {s.wakeRunStart, open});
        }
        for (long[] r : runs) {
            long a = Math.max(from, s.sessionStartMicros + r[0] * s.epochMicros);
            long b = Math.min(to, s.sessionStartMicros + r[1] * s.epochMicros);
            total += Math.max(0, b - a);
        }
        return total / 1e6;
    }

    static Long epochOf(BedPlmState s, long micros) {
        return s.sessionStartMicros == null ? null : Math.floorDiv(micros - s.sessionStartMicros, s.epochMicros);
    }
}
