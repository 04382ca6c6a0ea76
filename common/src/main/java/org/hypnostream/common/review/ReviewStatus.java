package org.hypnostream.common.review;

/** Where a study's review stands; the FHIR DiagnosticReport status follows it. */
public enum ReviewStatus {
    /** Not signed yet: corrections are free (FHIR preliminary). */
    IN_REVIEW("preliminary"),
    /** Signed by a physician: locked (FHIR final). */
    SIGNED("final"),
    /** Changed after signing, each change with a reason (FHIR amended). */
    AMENDED("amended");

    private final String fhirStatus;

    ReviewStatus(String fhirStatus) {
        this.fhirStatus = fhirStatus;
    }

    public String fhirStatus() {
        return fhirStatus;
    }
}
