package org.hypnostream.common.study;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What an ADMITTED mark carries. {@code patientRef} is a pseudonymous reference (e.g. a study-site code issued by the
 * hospital's record system), never a name: letters, digits and dashes only, so a name with spaces cannot be typed in;
 * it never appears in {@link #toString()}, logs, metrics or topic keys.
 *
 * @param ruleSet WASM2016 or AASM (the PLM rule set of the night)
 */
public record Admission(String patientRef, StudyProtocol protocol, String ruleSet, Population population) {
    /** 4-40 characters, letters/digits/dashes/underscores, at least one digit (a name is not a reference). */
    public static final Pattern PATIENT_REF = Pattern.compile("(?=.*[0-9])[A-Za-z0-9_-]{4,40}");

    public Admission {
        Objects.requireNonNull(protocol, "admission without a protocol (DIAGNOSTIC_PSG or PLM_STUDY)");
        Objects.requireNonNull(population, "admission without a population (ADULT or CHILD)");
        if (patientRef == null || !PATIENT_REF.matcher(patientRef).matches()) {
            throw new IllegalArgumentException("patientRef must be a pseudonymous reference: 4-40 letters, digits, '-' or '_',"
                    + " with at least one digit (never a name)");
        }
        ruleSet = ruleSet == null ? "WASM2016" : ruleSet.strip().toUpperCase(java.util.Locale.ROOT);
        if (ruleSet.equals("WASM")) {
            ruleSet = "WASM2016";
        }
        if (!ruleSet.equals("WASM2016") && !ruleSet.equals("AASM")) {
            throw new IllegalArgumentException("ruleSet must be WASM2016 or AASM, not " + ruleSet);
        }
    }

    @Override
    public String toString() {
        return "Admission[patientRef=<redacted>, protocol=" + protocol + ", ruleSet=" + ruleSet + ", population=" + population + "]";
    }
}
