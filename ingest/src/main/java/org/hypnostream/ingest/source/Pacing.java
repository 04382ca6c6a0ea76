package org.hypnostream.ingest.source;

/**
 * How fast the gateway plays sources: {@code speed} device seconds per wall-clock second; infinite = as fast as
 * possible. Live amplifiers deliver in real time anyway; pacing matters for replay and synthetic beds.
 */
public record Pacing(double speed) {
    public static final Pacing REALTIME = new Pacing(1.0);
    public static final Pacing AS_FAST_AS_POSSIBLE = new Pacing(Double.POSITIVE_INFINITY);

    public Pacing {
        if (!(speed > 0)) {
            throw new IllegalArgumentException("pacing speed must be > 0 (or infinite), got " + speed);
        }
    }

    public static Pacing factor(double n) {
        return new Pacing(n);
    }

    public boolean unpaced() {
        return Double.isInfinite(speed);
    }

    /** Wall-clock micros after the start at which device offset {@code deviceOffsetMicros} is due. */
    public long wallOffsetMicros(long deviceOffsetMicros) {
        return unpaced() ? 0 : (long) (deviceOffsetMicros / speed);
    }

    /** Parses "1", "20", "20x", "realtime", "max". */
    public static Pacing parse(String s) {
        String t = s.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.equals("max") || t.equals("fast") || t.equals("inf") || t.equals("as_fast_as_possible")) {
            return AS_FAST_AS_POSSIBLE;
        }
        if (t.equals("realtime")) {
            return REALTIME;
        }
        if (t.endsWith("x")) {
            t = t.substring(0, t.length() - 1);
        }
        return factor(Double.parseDouble(t));
    }
}
