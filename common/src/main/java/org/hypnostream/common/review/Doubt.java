package org.hypnostream.common.review;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sort-by-doubt: epochs ordered from the one the model was least sure of (lowest top probability) to the surest;
 * ties by epoch index. Epochs without probabilities (UNSCORED with no prior context) come first: nobody scored them.
 */
public final class Doubt {
    private Doubt() {
    }

    /** Doubt of one epoch: 1 - its top stage probability (1 when it has none). */
    public static double of(List<Double> probabilities) {
        return probabilities == null || probabilities.isEmpty() ? 1.0
                : 1.0 - probabilities.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }

    /**
     * @param probabilities epoch index -> the model's W/N1/N2/N3/REM probabilities
     * @param skip          epochs to leave out (e.g. already corrected)
     * @return the epochs, most doubtful first
     */
    public static List<Long> ranked(Map<Long, List<Double>> probabilities, Set<Long> skip) {
        List<Long> out = new ArrayList<>();
        probabilities.keySet().stream().filter(i -> !skip.contains(i)).forEach(out::add);
        out.sort(Comparator.comparingDouble((Long i) -> -of(probabilities.get(i))).thenComparingLong(i -> i));
        return out;
    }

    /** The next epoch to look at after {@code after} in the doubt order (null = the most doubtful), or null when none. */
    public static Long next(Map<Long, List<Double>> probabilities, Set<Long> skip, Long after) {
        List<Long> r = ranked(probabilities, skip);
        if (after == null) {
            return r.isEmpty() ? null : r.get(0);
        }
        int k = r.indexOf(after);
        if (k < 0) {
            // `after` was skipped (just corrected) or unknown: continue with the first epoch less doubtful than it
            double d = probabilities.containsKey(after) ? of(probabilities.get(after)) : Double.POSITIVE_INFINITY;
            for (Long i : r) {
                double di = of(probabilities.get(i));
                if (di < d || di == d && i > after) {
                    return i;
                }
            }
            return null;
        }
        return k + 1 < r.size() ? r.get(k + 1) : null;
    }
}
