package org.hypnostream.inference.leg;

import java.util.Locale;

/**
 * Monolateral leg-movement detection thresholds (plm-rules.md, "Monolateral LM"). WASM 2016 and AASM share the
 * amplitude and timing thresholds; only WASM asks computer detection for the morphology criterion.
 *
 * @param ruleSetId              id written on every event as {@code Provenance.rules(ruleSetId)}
 * @param onsetAboveRestUv       onset: envelope rises this far above the resting baseline (8 µV)
 * @param offsetAboveRestUv      offset: start of a quiet period at most this far above rest (2 µV)
 * @param offsetQuietSeconds     length of that quiet period (0.5 s)
 * @param minDurationSeconds     shorter movements are not LMs (0.5 s)
 * @param morphology             WASM computer-detection morphology criterion on/off
 * @param morphologyWindowSeconds the criterion's period (0.5 s)
 * @param morphologyMedianUv     the period's median envelope must be at least this far above rest (2 µV)
 */
public record LegRules(
        String ruleSetId,
        double onsetAboveRestUv,
        double offsetAboveRestUv,
        double offsetQuietSeconds,
        double minDurationSeconds,
        boolean morphology,
        double morphologyWindowSeconds,
        double morphologyMedianUv) {

    public static final String WASM_ID = "WASM2016-rules-v1";
    public static final String AASM_ID = "AASM-rules-v1";

    public LegRules {
        if (ruleSetId == null || ruleSetId.isBlank()) {
            throw new IllegalArgumentException("leg rules need a rule-set id");
        }
        if (!(onsetAboveRestUv > offsetAboveRestUv) || !(offsetAboveRestUv >= 0)) {
            throw new IllegalArgumentException("leg rules " + ruleSetId + ": onset threshold " + onsetAboveRestUv
                    + " µV must exceed offset threshold " + offsetAboveRestUv + " µV >= 0");
        }
        if (!(offsetQuietSeconds > 0) || !(minDurationSeconds > 0) || !(morphologyWindowSeconds > 0)) {
            throw new IllegalArgumentException("leg rules " + ruleSetId + ": durations must be > 0 s");
        }
    }

    /** WASM 2016 (default): 8 / 2 µV, 0.5 s offset rule, 0.5 s minimum, morphology criterion on. */
    public static LegRules wasm2016() {
        return new LegRules(WASM_ID, 8.0, 2.0, 0.5, 0.5, true, 0.5, 2.0);
    }

    /** AASM: same thresholds, no morphology criterion. */
    public static LegRules aasm() {
        return new LegRules(AASM_ID, 8.0, 2.0, 0.5, 0.5, false, 0.5, 2.0);
    }

    /** "wasm" or "aasm" (case-insensitive; "WASM2016" accepted). */
    public static LegRules named(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        if (n.equals("wasm") || n.equals("wasm2016")) {
            return wasm2016();
        }
        if (n.equals("aasm")) {
            return aasm();
        }
        throw new IllegalArgumentException("unknown leg rule set '" + name + "', expected wasm or aasm");
    }
}
