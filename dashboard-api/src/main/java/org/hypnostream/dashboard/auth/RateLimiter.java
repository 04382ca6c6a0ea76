package org.hypnostream.dashboard.auth;

import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;

/** Token buckets per key (user name, remote address): {@code burst} requests at once, refilled at {@code perSecond}. */
public final class RateLimiter {
    private static final int MAX_KEYS = 10_000;
    private final InstantSource clock;
    private final double perSecond;
    private final double burst;
    private final Map<String, double[]> buckets = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, double[]> e) {
            return size() > MAX_KEYS;
        }
    };

    public RateLimiter(InstantSource clock, double perSecond, double burst) {
        if (!(perSecond > 0) || !(burst >= 1)) {
            throw new IllegalArgumentException("rate limit needs perSecond > 0 and burst >= 1");
        }
        this.clock = clock;
        this.perSecond = perSecond;
        this.burst = burst;
    }

    /** Takes one token for {@code key}; false when the key is over its rate. */
    public synchronized boolean tryAcquire(String key) {
        double now = clock.millis() / 1000.0;
        double[] b = buckets.computeIfAbsent(key, k -> new double[] {burst, now});
        b[0] = Math.min(burst, b[0] + (now - b[1]) * perSecond);
        b[1] = now;
        if (b[0] >= 1) {
            b[0] -= 1;
            return true;
        }
        return false;
    }
}
