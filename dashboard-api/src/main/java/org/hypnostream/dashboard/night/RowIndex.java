package org.hypnostream.dashboard.night;

import java.util.function.IntPredicate;
import java.util.function.IntUnaryOperator;

/**
 * Rows of a column store found by key without a boxed entry per row: an open-addressing table of row numbers (one
 * {@code int} slot per row at most half full). The store gives each row's hash and says whether a row holds the key
 * looked for; rows are only added, never removed (a replaced value keeps its row). Not thread-safe.
 */
final class RowIndex {
    private final IntUnaryOperator rowHash;
    private int[] slots = new int[16]; // row + 1; 0 = empty
    private int rows;

    RowIndex(IntUnaryOperator rowHash) {
        this.rowHash = rowHash;
    }

    /** The row with {@code hash} that {@code holds} accepts, or -1. */
    int find(int hash, IntPredicate holds) {
        int mask = slots.length - 1;
        for (int s = spread(hash) & mask; slots[s] != 0; s = (s + 1) & mask) {
            if (holds.test(slots[s] - 1)) {
                return slots[s] - 1;
            }
        }
        return -1;
    }

    /** Adds {@code row} (not yet in the index). */
    void add(int row) {
        if (2 * (rows + 1) > slots.length) {
            int[] old = slots;
            slots = new int[old.length * 2];
            for (int r : old) {
                if (r != 0) {
                    place(r - 1);
                }
            }
        }
        place(row);
        rows++;
    }

    private void place(int row) {
        int mask = slots.length - 1;
        int s = spread(rowHash.applyAsInt(row)) & mask;
        while (slots[s] != 0) {
            s = (s + 1) & mask;
        }
        slots[s] = row + 1;
    }

    private static int spread(int h) {
        h *= 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
