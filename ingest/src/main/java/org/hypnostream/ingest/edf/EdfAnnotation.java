package org.hypnostream.ingest.edf;

import java.util.Objects;

/**
 * One annotation of an EDF+ TAL (time-stamped annotation list).
 *
 * @param onsetSeconds    seconds after the file's start time
 * @param durationSeconds duration in seconds, 0 when the TAL gives none
 */
public record EdfAnnotation(double onsetSeconds, double durationSeconds, String text) {
    public EdfAnnotation {
        Objects.requireNonNull(text, "text");
    }
}
