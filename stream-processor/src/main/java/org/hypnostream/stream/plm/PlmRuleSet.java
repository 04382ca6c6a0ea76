package org.hypnostream.stream.plm;

import java.util.Locale;

/**
 * Candidate-LM and PLM-series limits of plm-rules.md. WASM 2016 (default, as implemented by PLMScoRe) and AASM.
 *
 * <p>WASM: monolateral CLM 0.5-10 s; LMs on the two legs that overlap or are separated by < 0.5 s (offset to
 * onset) form one bilateral LM, a CLM if it lasts 0.5-15 s, has at most 4 monolateral members and no member over
 * 10 s; series of >= 4 CLMs with 10 s <= IMI <= 90 s. AASM: LM 0.5-10 s; LMs of the two legs with onsets < 5 s apart
 * count as one; series of >= 4 with 5 s <= period <= 90 s.
 */
public enum PlmRuleSet {
    WASM2016("WASM2016", 15.0, 4, 10.0),
    AASM("AASM", Double.POSITIVE_INFINITY, 2, 5.0);

    /** Same-leg LMs closer than this (offset to onset) merge; shorter LMs are no LMs at all, seconds. */
    static final double SAME_LEG_GAP_S = 0.5;
    static final double MIN_DURATION_S = 0.5;
    static final double MAX_MONOLATERAL_S = 10.0;
    static final double BILATERAL_GAP_S = 0.5;
    static final double AASM_BILATERAL_ONSETS_S = 5.0;
    /** A wake period longer than this (AASM) is left out of the inter-movement interval. */
    static final double LONG_WAKE_S = 90.0;
    static final double IMI_MAX_S = 90.0;
    static final int MIN_SERIES = 4;

    private final String id;
    private final double maxBilateralSeconds;
    private final int maxBilateralMembers;
    private final double imiMinSeconds;

    PlmRuleSet(String id, double maxBilateralSeconds, int maxBilateralMembers, double imiMinSeconds) {
        this.id = id;
        this.maxBilateralSeconds = maxBilateralSeconds;
        this.maxBilateralMembers = maxBilateralMembers;
        this.imiMinSeconds = imiMinSeconds;
    }

    public String id() {
        return id;
    }

    double maxBilateralSeconds() {
        return maxBilateralSeconds;
    }

    int maxBilateralMembers() {
        return maxBilateralMembers;
    }

    double imiMinSeconds() {
        return imiMinSeconds;
    }

    double imiMaxSeconds() {
        return IMI_MAX_S;
    }

    /**
     * AASM: a period of wake longer than 90 s between two LMs does not stop them joining one series, so its time is
     * left out of their interval. WASM 2016 counts the wall-clock interval.
     */
    boolean longWakeBridgesSeries() {
        return this == AASM;
    }

    /** "WASM2016", "wasm", "AASM", "aasm" (BedInfo.ruleSet, config, CLI). */
    public static PlmRuleSet parse(String s) {
        String n = s == null ? "" : s.trim().toUpperCase(Locale.ROOT);
        if (n.equals("WASM") || n.equals("WASM2016")) {
            return WASM2016;
        }
        if (n.equals("AASM")) {
            return AASM;
        }
        throw new IllegalArgumentException("unknown PLM rule set '" + s + "', expected WASM2016 or AASM");
    }
}
