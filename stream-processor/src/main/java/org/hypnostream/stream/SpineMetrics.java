package org.hypnostream.stream;

/** What the spine counts; {@link #NONE} for tests that do not look, Micrometer counters in the app. */
public interface SpineMetrics {
    SpineMetrics NONE = new SpineMetrics() {
    };

    default void epochs(int n) {
    }

    default void legWindows(int n) {
    }

    default void emgSegments(int n) {
    }

    default void duplicate() {
    }

    /**
     * One run of the idle needle-EMG check (a wall-clock punctuation; under exactly-once each run commits a
     * transaction, so it is scheduled only while the task has an open recording).
     */
    default void emgIdleCheck() {
    }

    /** One dead-lettered record, with a low-cardinality reason code ("decode", "rate", "channels", ...). */
    default void deadLetter(String reasonCode) {
    }
}
