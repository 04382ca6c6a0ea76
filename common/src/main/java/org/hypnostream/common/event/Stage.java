package org.hypnostream.common.event;

/** AASM sleep stages in the stager's output order, plus UNSCORED (never silently Wake). */
public enum Stage {
    W, N1, N2, N3, REM, UNSCORED;

    /** The five scored stages, in the order of a probability vector. */
    public static final java.util.List<Stage> SCORED = java.util.List.of(W, N1, N2, N3, REM);

    public boolean isSleep() {
        return this == N1 || this == N2 || this == N3 || this == REM;
    }
}
