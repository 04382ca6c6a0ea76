package org.hypnostream.common.event;

public enum AlertState {
    /** Raised and not yet acknowledged (latched even if the condition went away). */
    ACTIVE,
    /** A named user acknowledged it. */
    ACKNOWLEDGED,
    /** A named user silenced it for a period. */
    SILENCED,
    /** The condition ended and it was acknowledged, or a technical condition resolved itself. */
    CLEARED
}
