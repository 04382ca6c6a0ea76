package org.hypnostream.common.study;

/** Adult or child: sets the PLMS-index reference (plm-rules.md: > 15/h adults, > 5/h children). */
public enum Population {
    ADULT(15.0), CHILD(5.0);

    private final double plmsIndexReference;

    Population(double plmsIndexReference) {
        this.plmsIndexReference = plmsIndexReference;
    }

    /** PLMS index (per hour of sleep) above which the ICSD-3 PLMD criterion is met. */
    public double plmsIndexReference() {
        return plmsIndexReference;
    }
}
