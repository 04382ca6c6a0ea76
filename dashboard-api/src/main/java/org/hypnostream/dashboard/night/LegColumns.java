package org.hypnostream.dashboard.night;

import static org.hypnostream.dashboard.night.StageColumns.instant;
import static org.hypnostream.dashboard.night.StageColumns.nanos;
import static org.hypnostream.dashboard.night.StageColumns.pair;
import static org.hypnostream.dashboard.night.StageColumns.seconds;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.hypnostream.common.event.LegMovementEvent;
import org.hypnostream.common.event.LegSide;

/**
 * A bed's leg movements as primitive columns, by key ({@link BedNight#legKey}: the movement id, else side@onset), in
 * the order their keys first came (a later event with the same key replaces the row in place, as a
 * {@code LinkedHashMap} did): one row of {@link #WIDTH} longs per movement, and its key string unless the key is the
 * pipeline's movement id {@code bed:SIDE:onsetSample} (then the sample number is kept, and the id made again when
 * asked for), instead of a record with its own instants and strings and a map entry. Lossless: {@link #get} gives
 * back an event equal to the one put, bed id and provenance shared ({@link SharedValues}). Not thread-safe.
 */
final class LegColumns {
    static final int WIDTH = 10;
    private static final long NO_ID = 1;
    private static final LegSide[] SIDES = LegSide.values();
    private final String bedId;
    private final SharedValues values;
    private long[] rows = new long[0];
    private String[] keys = new String[0];
    private int size;
    private final RowIndex index = new RowIndex(r -> key(r).hashCode());

    LegColumns(String bedId, SharedValues values) {
        this.bedId = bedId;
        this.values = values;
    }

    int size() {
        return size;
    }

    /** The movement kept under {@code key}, or null. */
    LegMovementEvent get(String key) {
        int row = index.find(key.hashCode(), r -> key(r).equals(key));
        return row < 0 ? null : event(row);
    }

    /** Keeps {@code l} under {@code key} (replacing what was kept there). */
    void put(String key, LegMovementEvent l) {
        int row = index.find(key.hashCode(), r -> key(r).equals(key));
        boolean added = row < 0;
        if (added) {
            if (size == keys.length) {
                keys = Arrays.copyOf(keys, StageColumns.grown(size));
                rows = Arrays.copyOf(rows, keys.length * WIDTH);
            }
            row = size++;
        }
        long sample = key.equals(l.movementId()) ? canonicalSample(l) : -1;
        keys[row] = sample < 0 ? key : null;
        write(row * WIDTH, l);
        rows[row * WIDTH + 9] = sample;
        if (added) {
            index.add(row);
        }
    }

    /** The key of {@code row}: the one kept, or the movement id its side and sample number make. */
    private String key(int row) {
        return keys[row] != null ? keys[row] : bedId + ":" + SIDES[((int) rows[row * WIDTH + 4]) >>> 8] + ":" + rows[row * WIDTH + 9];
    }

    /** The onset sample of a movement id {@code bed:SIDE:n} of this bed and the movement's side, else -1. */
    private long canonicalSample(LegMovementEvent l) {
        String id = l.movementId();
        int from = bedId.length() + l.side().name().length() + 2;
        if (id.length() <= from || id.length() > from + 18 || !id.startsWith(bedId) || id.charAt(bedId.length()) != ':'
                || !id.startsWith(l.side().name(), bedId.length() + 1) || id.charAt(from - 1) != ':'
                || (id.charAt(from) == '0' && id.length() > from + 1)) {
            return -1;
        }
        long n = 0;
        for (int i = from; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /** Every movement, in the order their keys first came (fresh records). */
    List<LegMovementEvent> events() {
        List<LegMovementEvent> out = new ArrayList<>(size);
        for (int r = 0; r < size; r++) {
            out.add(event(r));
        }
        return out;
    }

    private void write(int o, LegMovementEvent l) {
        rows[o] = l.onset().getEpochSecond();
        rows[o + 1] = l.offset().getEpochSecond();
        rows[o + 2] = seconds(l.producedAt());
        rows[o + 3] = pair(l.onset().getNano(), l.offset().getNano());
        rows[o + 4] = pair(nanos(l.producedAt()), l.side().ordinal() << 8 | (l.movementId() == null ? (int) NO_ID : 0));
        rows[o + 5] = Double.doubleToRawLongBits(l.durationSeconds());
        rows[o + 6] = Double.doubleToRawLongBits(l.peakMicrovolts());
        rows[o + 7] = pair(values.index(l.quality()), values.index(l.provenance()));
        rows[o + 8] = l.latencyMillis();
    }

    private LegMovementEvent event(int row) {
        int o = row * WIDTH;
        int low = (int) rows[o + 4];
        return new LegMovementEvent(bedId, (low & NO_ID) != 0 ? null : key(row), SIDES[low >>> 8],
                instant(rows[o], (int) (rows[o + 3] >>> 32)), instant(rows[o + 1], (int) rows[o + 3]),
                Double.longBitsToDouble(rows[o + 5]), Double.longBitsToDouble(rows[o + 6]), values.value((int) (rows[o + 7] >>> 32)),
                values.value((int) rows[o + 7]), instant(rows[o + 2], (int) (rows[o + 4] >>> 32)), rows[o + 8]);
    }
}
