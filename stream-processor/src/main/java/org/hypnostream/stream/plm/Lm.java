package org.hypnostream.stream.plm;

/**
 * A leg movement after same-leg and bilateral merging and CLM classification.
 *
 * @param side      "LEFT", "RIGHT" or "BILATERAL"
 * @param members   monolateral LMs it is made of (after same-leg merging)
 * @param candidate true for a CLM; a non-CLM is not counted but breaks a PLM series
 * @param reason    why it is not a CLM; null for a CLM
 */
public record Lm(long onsetMicros, long offsetMicros, String side, int members, boolean candidate, String reason) {
    double durationSeconds() {
        return (offsetMicros - onsetMicros) / 1e6;
    }
}
