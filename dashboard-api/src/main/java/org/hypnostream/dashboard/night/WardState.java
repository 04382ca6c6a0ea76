package org.hypnostream.dashboard.night;

import java.time.InstantSource;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.hypnostream.common.event.Alert;
import org.hypnostream.common.event.AlertAction;
import org.hypnostream.common.event.BedInfo;
import org.hypnostream.common.event.LegMovementEvent;
import org.hypnostream.common.event.NeuromuscularEvent;
import org.hypnostream.common.event.PlmEvent;
import org.hypnostream.common.event.StageEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every bed's night, built from events in topic order; pure and Kafka-free. Owned by one thread (the event loop). */
public final class WardState {
    private static final Logger LOG = LoggerFactory.getLogger(WardState.class);
    /** Bed ids accepted from topics and from URLs. */
    public static final Pattern BED_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    /** At most this many beds; further beds are refused (logged) rather than exhausting memory. */
    public static final int MAX_BEDS = 2_000;

    private final InstantSource clock;
    private final Map<String, BedNight> beds = new LinkedHashMap<>();

    public WardState(InstantSource clock) {
        this.clock = clock;
    }

    /** Applies one event; returns the numbered change, or empty when it changed nothing. */
    public Optional<BedUpdate> apply(Object event) {
        String bedId = bedOf(event);
        if (bedId == null || !BED_ID.matcher(bedId).matches()) {
            throw new IllegalArgumentException(event.getClass().getSimpleName() + " with bad bed id '" + bedId + "'");
        }
        BedNight night = beds.get(bedId);
        if (night == null) {
            if (beds.size() >= MAX_BEDS) {
                throw new IllegalArgumentException("bed " + bedId + " refused: already " + MAX_BEDS + " beds");
            }
            night = new BedNight(bedId);
            beds.put(bedId, night);
            if (!(event instanceof BedInfo)) {
                // INFO, not WARN: the feed reads its topics side by side, so a bed's first study or stage event can
                // come before its BedInfo written a moment earlier (the demo admits its beds as it registers them)
                LOG.info("bed {} has events but no BedInfo on beds.v1 yet: visible to admins only until it has", bedId);
            }
        }
        String kind = night.apply(event, clock.instant());
        if (kind == null) {
            return Optional.empty();
        }
        boolean statsChanged = kind.equals("stage") || kind.equals("study") || kind.equals("bedside") || kind.equals("plm")
                || kind.equals("revised");
        // a review event changes the reviewed night, not the live statistics: clients fetch /review
        return Optional.of(new BedUpdate(bedId, night.ward(), night.seq(), kind, night.changeJson(event),
                statsChanged ? night.statisticsJson() : null));
    }

    static String bedOf(Object event) {
        if (event instanceof BedInfo b) {
            return b.bedId();
        } else if (event instanceof StageEvent s) {
            return s.bedId();
        } else if (event instanceof LegMovementEvent l) {
            return l.bedId();
        } else if (event instanceof PlmEvent p) {
            return p.bedId();
        } else if (event instanceof Alert a) {
            return a.bedId();
        } else if (event instanceof AlertAction a) {
            return a.bedId();
        } else if (event instanceof org.hypnostream.common.event.AlarmNotice n) {
            return n.bedId();
        } else if (event instanceof NeuromuscularEvent n) {
            return n.bedId();
        } else if (event instanceof org.hypnostream.common.study.StudyEvent e) {
            return e.bedId();
        } else if (event instanceof org.hypnostream.common.study.BedsideEvent b) {
            return b.bedId();
        } else if (event instanceof org.hypnostream.common.review.ReviewEvent r) {
            return r.bedId();
        } else if (event instanceof org.hypnostream.common.event.RevisedHypnogram h) {
            return h.bedId();
        }
        throw new IllegalArgumentException("unsupported event " + (event == null ? "null" : event.getClass().getSimpleName()));
    }

    public Optional<BedNight> bed(String bedId) {
        return Optional.ofNullable(beds.get(bedId));
    }

    public Collection<BedNight> beds() {
        return Collections.unmodifiableCollection(beds.values());
    }
}
