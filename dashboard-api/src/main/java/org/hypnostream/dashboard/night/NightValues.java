package org.hypnostream.dashboard.night;

import java.util.HashMap;
import java.util.Map;
import org.hypnostream.common.event.LegMovementEvent;
import org.hypnostream.common.event.Provenance;
import org.hypnostream.common.event.StageEvent;

/**
 * What a bed's night keeps of an event, sharing the values that repeat: every stage and leg-movement event of a bed
 * names the same bed and (nearly always) the same model or rule set, but each one read from a topic carries its own
 * copies of those strings (~350 bytes an event, a third of a kept stage event). The kept event equals the one read
 * ({@code equals} is unchanged), so idempotence and every view of the night stay the same. At most
 * {@link #MAX_SHARED} distinct provenances and reasons are shared; past that an event keeps its own.
 * Not thread-safe: owned by its {@link BedNight}.
 */
final class NightValues {
    static final int MAX_SHARED = 64;
    private final String bedId;
    private final Map<Object, Object> shared = new HashMap<>();

    NightValues(String bedId) {
        this.bedId = bedId;
    }

    StageEvent stage(StageEvent s) {
        String bed = bed(s.bedId());
        Provenance p = one(s.provenance());
        String reason = one(s.unscoredReason());
        if (bed == s.bedId() && p == s.provenance() && reason == s.unscoredReason()) {
            return s;
        }
        return new StageEvent(bed, s.epochIndex(), s.epochStart(), s.epochEnd(), s.stage(), s.probabilities(), s.fromPriorOnly(),
                reason, s.quality(), p, s.producedAt(), s.latencyMillis(), s.sourceReceiveMicros());
    }

    LegMovementEvent leg(LegMovementEvent l) {
        String bed = bed(l.bedId());
        Provenance p = one(l.provenance());
        if (bed == l.bedId() && p == l.provenance()) {
            return l;
        }
        return new LegMovementEvent(bed, l.movementId(), l.side(), l.onset(), l.offset(), l.durationSeconds(), l.peakMicrovolts(),
                l.quality(), p, l.producedAt(), l.latencyMillis());
    }

    private String bed(String b) {
        return bedId.equals(b) ? bedId : b;
    }

    /** The shared instance equal to {@code v} (null stays null). */
    @SuppressWarnings("unchecked")
    private <T> T one(T v) {
        if (v == null) {
            return null;
        }
        Object kept = shared.get(v);
        if (kept != null) {
            return (T) kept;
        }
        if (shared.size() < MAX_SHARED) {
            shared.put(v, v);
        }
        return v;
    }
}
