package org.hypnostream.dashboard.night;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.hypnostream.common.event.Provenance;
import org.hypnostream.common.event.Stage;
import org.hypnostream.common.event.StageEvent;
import org.hypnostream.common.study.EpochStage;
import org.hypnostream.common.wire.QualityFlag;

/**
 * A bed's live hypnogram as primitive columns: one row of {@link #WIDTH} longs per epoch, rows in epoch order,
 * instead of a {@code TreeMap} of {@link StageEvent} records (each with its own instants, boxed probabilities and
 * strings: ~400 bytes an epoch kept; a row is 120). Lossless: {@link #get} gives back an event equal to the one put
 * (every field, the probabilities bit for bit), its bed id, provenance, reason and quality set the bed's shared
 * instances ({@link SharedValues}). One event per epoch index: a later one replaces it. Not thread-safe.
 */
final class StageColumns {
    static final int WIDTH = 15;
    static final int MAX_GROWTH = 120;
    private static final int PROBABILITIES = 10;
    private static final long PRIOR_ONLY = 1;
    private static final long HAS_PROBABILITIES = 2;
    private static final Stage[] STAGES = Stage.values();
    private final String bedId;
    private final SharedValues values;
    private long[] rows = new long[0];
    private int size;

    StageColumns(String bedId, SharedValues values) {
        this.bedId = bedId;
        this.values = values;
    }

    int size() {
        return size;
    }

    /** The event of epoch {@code epochIndex}, or null. */
    StageEvent get(long epochIndex) {
        int row = find(epochIndex);
        return row < 0 ? null : event(row);
    }

    /** Keeps {@code s} as its epoch's event (replacing the one kept). */
    void put(StageEvent s) {
        int row = find(s.epochIndex());
        if (row < 0) {
            row = -row - 1;
            if ((size + 1) * WIDTH > rows.length) {
                rows = Arrays.copyOf(rows, grown(size) * WIDTH);
            }
            System.arraycopy(rows, row * WIDTH, rows, (row + 1) * WIDTH, (size - row) * WIDTH);
            size++;
        }
        write(row * WIDTH, s);
    }

    /** Every epoch's event, in epoch order (fresh records: nothing here changes when the night does). */
    List<StageEvent> events() {
        List<StageEvent> out = new ArrayList<>(size);
        for (int r = 0; r < size; r++) {
            out.add(event(r));
        }
        return out;
    }

    /** What the sleep statistics need of each epoch, in epoch order. */
    List<EpochStage> epochStages() {
        List<EpochStage> out = new ArrayList<>(size);
        for (int r = 0; r < size; r++) {
            int o = r * WIDTH;
            out.add(new EpochStage(rows[o], instant(rows[o + 1], (int) (rows[o + 4] >>> 32)), instant(rows[o + 2], (int) rows[o + 4]),
                    STAGES[(int) (rows[o + 5] >>> 8) & 0xff]));
        }
        return out;
    }

    private void write(int o, StageEvent s) {
        rows[o] = s.epochIndex();
        rows[o + 1] = seconds(s.epochStart());
        rows[o + 2] = seconds(s.epochEnd());
        rows[o + 3] = seconds(s.producedAt());
        rows[o + 4] = pair(nanos(s.epochStart()), nanos(s.epochEnd()));
        long flags = (s.fromPriorOnly() ? PRIOR_ONLY : 0) | (s.probabilities().isEmpty() ? 0 : HAS_PROBABILITIES);
        rows[o + 5] = (long) nanos(s.producedAt()) << 32 | (long) s.stage().ordinal() << 8 | flags;
        rows[o + 6] = pair(values.index(s.quality()), values.index(s.provenance()));
        rows[o + 7] = values.index(s.unscoredReason());
        rows[o + 8] = s.latencyMillis();
        rows[o + 9] = s.sourceReceiveMicros();
        for (int k = 0; k < Stage.SCORED.size(); k++) {
            rows[o + PROBABILITIES + k] = s.probabilities().isEmpty() ? 0 : Double.doubleToRawLongBits(s.probabilities().get(k));
        }
    }

    private StageEvent event(int row) {
        int o = row * WIDTH;
        long flags = rows[o + 5] & 0xff;
        List<Double> p = List.of();
        if ((flags & HAS_PROBABILITIES) != 0) {
            Double[] d = new Double[Stage.SCORED.size()];
            for (int k = 0; k < d.length; k++) {
                d[k] = Double.longBitsToDouble(rows[o + PROBABILITIES + k]);
            }
            p = List.of(d);
        }
        Set<QualityFlag> quality = values.value((int) (rows[o + 6] >>> 32));
        Provenance provenance = values.value((int) rows[o + 6]);
        return new StageEvent(bedId, rows[o], instant(rows[o + 1], (int) (rows[o + 4] >>> 32)), instant(rows[o + 2], (int) rows[o + 4]),
                STAGES[(int) (rows[o + 5] >>> 8) & 0xff], p, (flags & PRIOR_ONLY) != 0, values.value((int) rows[o + 7]), quality,
                provenance, instant(rows[o + 3], (int) (rows[o + 5] >>> 32)), rows[o + 8], rows[o + 9]);
    }

    /** The row of {@code epochIndex}, or -(insertion row) - 1 (rows in epoch order; most events come last). */
    private int find(long epochIndex) {
        if (size > 0 && rows[(size - 1) * WIDTH] < epochIndex) {
            return -size - 1;
        }
        int lo = 0;
        int hi = size - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long v = rows[mid * WIDTH];
            if (v < epochIndex) {
                lo = mid + 1;
            } else if (v > epochIndex) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -lo - 1;
    }

    /**
     * The rows to make room for when {@code rows} are full: half as many again, at most {@link #MAX_GROWTH} more (an
     * hour of epochs), so that a night's columns are never more than that much larger than the night.
     */
    static int grown(int rows) {
        return rows + Math.max(8, Math.min(rows / 2, MAX_GROWTH));
    }

    static long pair(int high, int low) {
        return (long) high << 32 | (low & 0xffffffffL);
    }

    static long seconds(Instant t) {
        return t == null ? 0 : t.getEpochSecond();
    }

    /** The instant's nanos, or -1 for none (an instant's nanos are never negative). */
    static int nanos(Instant t) {
        return t == null ? -1 : t.getNano();
    }

    /** The instant of {@link #seconds} and {@link #nanos}; null for none. */
    static Instant instant(long seconds, int nanos) {
        return nanos < 0 ? null : Instant.ofEpochSecond(seconds, nanos);
    }
}
