package org.hypnostream.common.service;

import java.util.function.BooleanSupplier;

/**
 * A service's answer to {@code /health/live} (its workers are alive; if not, restart the process) and
 * {@code /health/ready} (it does its work: connected, assigned its partitions, listening).
 */
public interface Health {
    /** A service still starting: alive, not ready. */
    Health STARTING = of(() -> true, () -> false);

    boolean live();

    boolean ready();

    static Health of(BooleanSupplier live, BooleanSupplier ready) {
        return new Health() {
            @Override
            public boolean live() {
                return live.getAsBoolean();
            }

            @Override
            public boolean ready() {
                return ready.getAsBoolean();
            }
        };
    }
}
