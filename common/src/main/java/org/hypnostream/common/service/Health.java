package org.hypnostream.common.service;

/**
 * A service's answer to {@code /health/live} (its workers are alive; if not, restart the process) and
 * {@code /health/ready} (it does its work: connected, assigned its partitions, listening).
 */
public interface Health {
    /** A service still starting: alive, not ready. */
    Health STARTING = new Health() {
        @Override
        public boolean live() {
            return true;
        }

        @Override
        public boolean ready() {
            return false;
        }
    };

    boolean live();

    boolean ready();
}
