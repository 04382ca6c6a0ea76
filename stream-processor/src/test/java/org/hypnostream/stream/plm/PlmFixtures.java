package org.hypnostream.stream.plm;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.hypnostream.common.event.LegMovementEvent;
import org.hypnostream.common.event.LegSide;
import org.hypnostream.common.event.Provenance;
import org.hypnostream.common.event.Stage;
import org.hypnostream.common.event.StageEvent;

/** Events of a bed whose session starts at {@link #START}; times in seconds since then. */
final class PlmFixtures {
    static final Instant START = Instant.parse("2026-03-01T22:00:00Z");
    static final Instant NOW = Instant.parse("2026-03-02T07:00:00Z");

    private PlmFixtures() {
    }

    static Instant at(double s) {
        return START.plusNanos(Math.round(s * 1e9));
    }

    static LegMovementEvent leg(String bed, LegSide side, double onsetS, double offsetS) {
        return new LegMovementEvent(bed, bed + ":" + side + ":" + Math.round(onsetS * 200), side, at(onsetS),
                at(offsetS), offsetS - onsetS, 40.0, Set.of(), Provenance.rules("WASM2016-rules-v1"), NOW, 5);
    }

    static StageEvent stage(String bed, long epoch, Stage stage) {
        return new StageEvent(bed, epoch, at(30.0 * epoch), at(30.0 * (epoch + 1)), stage, List.of(), false,
                stage == Stage.UNSCORED ? "test" : null, Set.of(), Provenance.model("stager", "abc", "CPU"), NOW, 10, 0);
    }
}
