package org.hypnostream.app;

import java.time.Duration;

/**
 * Deterministic per-bed start offsets for the demo and the benchmarks: bed i of n (0-based) starts i / n of
 * {@code spread} later than the first, so that with a spread of one epoch (30 s) the beds' epochs complete evenly
 * over each 30 s instead of all in the same second. A zero spread starts every bed together.
 */
public record Stagger(Duration spread) {
    /** One epoch: each 30-s epoch boundary of the ward is spread evenly over 30 s. */
    public static final Stagger ONE_EPOCH = new Stagger(Duration.ofSeconds(30));
    public static final Stagger NONE = new Stagger(Duration.ZERO);

    public Stagger {
        if (spread.isNegative() || spread.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("stagger must be 0 to 3600 s, got " + spread);
        }
    }

    public static Stagger ofSeconds(double seconds) {
        if (!(seconds >= 0 && seconds <= 3600)) {
            throw new IllegalArgumentException("--stagger must be 0 to 3600 s, got " + seconds);
        }
        return new Stagger(Duration.ofNanos(Math.round(seconds * 1e9)));
    }

    /** Device microseconds by which bed {@code i} (0-based) of {@code n} starts after bed 0. */
    public long offsetMicros(int i, int n) {
        if (n < 1 || i < 0 || i >= n) {
            throw new IllegalArgumentException("bed " + i + " of " + n);
        }
        return spread.toNanos() / 1000 * i / n;
    }

    /** The last bed's offset: how much longer than one bed's span the whole load lasts (device time). */
    public long lastOffsetMicros(int n) {
        return offsetMicros(n - 1, n);
    }

    /**
     * Blocks the gateway should have journaled by {@code deviceMicros} of device time after the start, when every bed
     * sends {@code perBedTotal} blocks at {@code blocksPerSecond}.
     */
    public long expectedBlocks(int n, double deviceMicros, double blocksPerSecond, long perBedTotal) {
        long sum = 0;
        for (int i = 0; i < n; i++) {
            double t = deviceMicros - offsetMicros(i, n);
            if (t > 0) {
                sum += Math.min(perBedTotal, Math.round(blocksPerSecond * t / 1e6));
            }
        }
        return sum;
    }
}
