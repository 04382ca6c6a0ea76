package org.hypnostream.dashboard.night;

import static org.hypnostream.dashboard.night.StageColumns.instant;
import static org.hypnostream.dashboard.night.StageColumns.pair;

import java.time.Instant;
import java.util.Arrays;
import java.util.function.BiConsumer;

/**
 * The scored (bilateral-merged) LMs of a bed from plm-events.v1 LM updates, by onset and side, in the order they first
 * came: what the statistics need of each (its onset and series id) in one row of {@link #WIDTH} longs, side and series
 * id shared ({@link SharedValues}), instead of a map entry with a key record, an instant and a series id string of its
 * own. A later update of the same onset and side replaces its series id in place. Not thread-safe.
 */
final class ScoredLms {
    static final int WIDTH = 3;
    private final SharedValues values;
    private long[] rows = new long[0];
    private int size;
    private final RowIndex index = new RowIndex(this::rowHash);

    ScoredLms(SharedValues values) {
        this.values = values;
    }

    int size() {
        return size;
    }

    /** Keeps the LM of {@code onset} on {@code side} with its series id (null: in no series). */
    void put(Instant onset, String side, String seriesId) {
        int sideIndex = values.index(side);
        long seconds = onset.getEpochSecond();
        long nanosAndSide = pair(onset.getNano(), sideIndex);
        int row = index.find(hash(seconds, nanosAndSide), r -> rows[r * WIDTH] == seconds && rows[r * WIDTH + 1] == nanosAndSide);
        if (row < 0) {
            if ((size + 1) * WIDTH > rows.length) {
                rows = Arrays.copyOf(rows, StageColumns.grown(size) * WIDTH);
            }
            row = size++;
            rows[row * WIDTH] = seconds;
            rows[row * WIDTH + 1] = nanosAndSide;
            index.add(row);
        }
        rows[row * WIDTH + 2] = values.index(seriesId);
    }

    /** Each LM's onset and series id (or null), in the order they first came. */
    void forEach(BiConsumer<Instant, String> lm) {
        for (int r = 0; r < size; r++) {
            int o = r * WIDTH;
            lm.accept(instant(rows[o], (int) (rows[o + 1] >>> 32)), values.value((int) rows[o + 2]));
        }
    }

    private int rowHash(int row) {
        return hash(rows[row * WIDTH], rows[row * WIDTH + 1]);
    }

    private static int hash(long seconds, long nanosAndSide) {
        return Long.hashCode(seconds) * 31 + Long.hashCode(nanosAndSide);
    }
}
