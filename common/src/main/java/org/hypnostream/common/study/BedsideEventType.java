package org.hypnostream.common.study;

/** What happened at the bedside ({@code bedside-events.v1}); NOTE is free text only. */
public enum BedsideEventType {
    POSITION_CHANGE("Position change"),
    BATHROOM_BREAK("Bathroom break"),
    INTERVENTION("Intervention"),
    ELECTRODE_FIX("Electrode fix / impedance check"),
    PATIENT_COMPLAINT("Patient complaint"),
    MEDICATION("Medication"),
    OXYGEN_CPAP_CHANGE("Oxygen / CPAP change"),
    NOTE("Note");

    private final String label;

    BedsideEventType(String label) {
        this.label = label;
    }

    /** Human label, also the EDF+ annotation text. */
    public String label() {
        return label;
    }
}
