package org.hypnostream.app;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hypnostream.common.time.Micros;
import org.hypnostream.ingest.source.AmplifierSource;
import org.hypnostream.ingest.source.SyntheticAmplifier;

/** The beds of a fault test's night: one synthetic amplifier per bed, each ended after the night (a known amount of data). */
final class SyntheticNight {
    private SyntheticNight() {
    }

    /** A source per bed of {@code beds}, seeded {@code firstSeed}, {@code firstSeed + 1}, ..., each {@code night} long. */
    static List<AmplifierSource> sources(List<String> beds, long firstSeed, Instant sessionStart, Duration night) {
        List<AmplifierSource> out = new ArrayList<>();
        for (int i = 0; i < beds.size(); i++) {
            out.add(new BoundedSource(new SyntheticAmplifier(beds.get(i), firstSeed + i, sessionStart), Micros.of(sessionStart),
                    night.toNanos() / 1000));
        }
        return out;
    }
}
