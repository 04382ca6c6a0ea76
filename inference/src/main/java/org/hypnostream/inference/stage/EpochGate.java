package org.hypnostream.inference.stage;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.hypnostream.common.wire.Epoch;
import org.hypnostream.inference.features.RelativeWelch;
import org.hypnostream.inference.features.SleepEdfFeatures;

/**
 * The feature stagers' per-epoch gate ({@link CausalStager}, {@link SequenceStager}): the index-order check, the epoch
 * quality check, the model row, and the reason an epoch gives no row (the bed's Welch filter then restarts at the next
 * usable epoch). What an epoch without a row yields is {@link UnscoredRunPolicy#withoutData}.
 */
final class EpochGate {
    /** Computes a model row from an epoch, advancing the bed's Welch filter; null when a value is not finite. */
    @FunctionalInterface
    interface RowMaker {
        float[] row(Epoch e, RelativeWelch.State filter);
    }

    private EpochGate() {
    }

    /**
     * Fills {@code rows[i]} with the epoch's model row and returns null, or returns why it has none (a quality
     * problem, a non-finite feature, a refused input) with {@code rows[i]} null and the filter reset.
     */
    static String gate(Epoch e, RelativeWelch.State filter, RowMaker maker, float[][] rows, int i) {
        String reason = EpochQuality.problem(e, SleepEdfFeatures.CHANNELS, SleepEdfFeatures.RATE_HZ,
                SleepEdfFeatures.SAMPLES);
        if (reason == null) {
            try {
                rows[i] = maker.row(e, filter);
                if (rows[i] == null) {
                    reason = "non-finite feature";
                }
            } catch (IllegalArgumentException ex) {
                reason = ex.getMessage();
            }
        }
        if (reason != null) {
            rows[i] = null;
            filter.reset(); // the band-pass restarts at the next usable epoch
        }
        return reason;
    }

    /** Refuses (before anything is mutated) an epoch that does not come after its bed's earlier ones. */
    static <S> void checkOrder(List<S> states, long[] index, ToLongFunction<S> lastOf) {
        Map<S, Long> last = new IdentityHashMap<>();
        for (int i = 0; i < index.length; i++) {
            long prev = last.getOrDefault(states.get(i), lastOf.applyAsLong(states.get(i)));
            if (index[i] <= prev) {
                throw new IllegalArgumentException("epoch " + index[i] + " given after epoch " + prev
                        + ": epochs of a bed must come in index order");
            }
            last.put(states.get(i), index[i]);
        }
    }
}
