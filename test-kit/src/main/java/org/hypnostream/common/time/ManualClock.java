package org.hypnostream.common.time;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves only when told to; for tests and for replay at simulated time. Thread-safe. */
public final class ManualClock implements InstantSource {
    private final AtomicLong micros;

    public ManualClock(Instant start) {
        micros = new AtomicLong(start.getEpochSecond() * 1_000_000L + start.getNano() / 1_000);
    }

    @Override
    public Instant instant() {
        long m = micros.get();
        return Instant.ofEpochSecond(Math.floorDiv(m, 1_000_000L), Math.floorMod(m, 1_000_000L) * 1_000L);
    }

    public void advance(Duration d) {
        micros.addAndGet(d.toNanos() / 1_000);
    }

    public void set(Instant t) {
        micros.set(t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000);
    }
}
