package org.hypnostream.dashboard.night;

import java.time.InstantSource;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.hypnostream.dashboard.feed.DashboardEvent;
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

    /**
     * Applies one decoded topic record ({@link DashboardEvent#of}); for callers holding a {@code common} record.
     *
     * @throws IllegalArgumentException for a type the dashboard does not consume, a bad bed id or too many beds
     */
    public Optional<BedUpdate> apply(Object event) {
        return apply(event instanceof DashboardEvent d ? d : DashboardEvent.of(event));
    }

    /** Applies one event; returns the numbered change, or empty when it changed nothing. */
    public Optional<BedUpdate> apply(DashboardEvent event) {
        if (event instanceof DashboardEvent.OfEegFrame || event instanceof DashboardEvent.OfEmgTrace) {
            throw new IllegalArgumentException("unsupported event " + event.value().getClass().getSimpleName()
                    + " (a display frame, not part of a night)");
        }
        String bedId = event.bedId();
        if (bedId == null || !BED_ID.matcher(bedId).matches()) {
            throw new IllegalArgumentException(event.value().getClass().getSimpleName() + " with bad bed id '" + bedId + "'");
        }
        BedNight night = beds.get(bedId);
        if (night == null) {
            if (beds.size() >= MAX_BEDS) {
                throw new IllegalArgumentException("bed " + bedId + " refused: already " + MAX_BEDS + " beds");
            }
            night = new BedNight(bedId);
            beds.put(bedId, night);
            if (!(event instanceof DashboardEvent.OfBedInfo)) {
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

    public Optional<BedNight> bed(String bedId) {
        return Optional.ofNullable(beds.get(bedId));
    }

    public Collection<BedNight> beds() {
        return Collections.unmodifiableCollection(beds.values());
    }
}
