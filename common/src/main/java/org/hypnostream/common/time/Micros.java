package org.hypnostream.common.time;

import java.time.Instant;
import java.time.InstantSource;

/** UTC microsecond timestamps, the unit of every time field on the wire. */
public final class Micros {
    private Micros() {
    }

    public static long of(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
    }

    public static Instant toInstant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }

    public static long now(InstantSource clock) {
        return of(clock.instant());
    }
}
