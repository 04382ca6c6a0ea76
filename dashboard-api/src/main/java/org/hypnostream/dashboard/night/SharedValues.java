package org.hypnostream.dashboard.night;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The values a bed's night repeats (provenances, unscored reasons, quality-flag sets, leg sides, PLM series ids), each
 * kept once and named by an index the night's columns hold. Equal values share one index and one instance; null is
 * {@link #NONE}. A value stays once added: the table grows with the distinct values a bed ever brought (a handful in
 * a night: the models and rule sets, a few reasons, a series id per PLM series), never with the events.
 * Not thread-safe: owned by its {@link BedNight}.
 */
final class SharedValues {
    static final int NONE = -1;
    private final List<Object> values = new ArrayList<>();
    private final Map<Object, Integer> index = new HashMap<>();

    /** The index of {@code v}, added when new; {@link #NONE} for null. */
    int index(Object v) {
        if (v == null) {
            return NONE;
        }
        Integer i = index.get(v);
        if (i != null) {
            return i;
        }
        values.add(v);
        index.put(v, values.size() - 1);
        return values.size() - 1;
    }

    /** The value at {@code i} (the instance first added), null for {@link #NONE}. */
    @SuppressWarnings("unchecked")
    <T> T value(int i) {
        return i == NONE ? null : (T) values.get(i);
    }

    int size() {
        return values.size();
    }
}
