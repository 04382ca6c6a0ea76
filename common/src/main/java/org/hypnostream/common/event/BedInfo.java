package org.hypnostream.common.event;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A bed of the registry ({@code beds.v1}, compacted, key = bed id). No patient identifiers: the display name is
 * the bed's name on the ward ("Bed 4"), never a patient's.
 */
public record BedInfo(String bedId, String ward, String displayName, Instant sessionStart, List<String> channels, String ruleSet) {
    public BedInfo {
        Objects.requireNonNull(bedId, "bedId");
        Objects.requireNonNull(ward, "ward");
        channels = channels == null ? List.of() : List.copyOf(channels);
        ruleSet = ruleSet == null ? "WASM2016" : ruleSet;
    }
}
