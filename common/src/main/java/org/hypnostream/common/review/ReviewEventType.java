package org.hypnostream.common.review;

/** What a review event does. */
public enum ReviewEventType {
    /** Re-stage one epoch or a range of epochs (technologist). */
    RESTAGE,
    /** Add a leg movement the detector missed (technologist). */
    ADD_LEG,
    /** Delete a leg movement the detector found in error (technologist). */
    DELETE_LEG,
    /** The physician marks the study reviewed and signs it, with an optional interpretation; the study is then locked. */
    SIGN;

    public boolean isCorrection() {
        return this != SIGN;
    }
}
