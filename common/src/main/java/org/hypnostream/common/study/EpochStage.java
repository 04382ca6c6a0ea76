package org.hypnostream.common.study;

import java.time.Instant;
import java.util.Objects;
import org.hypnostream.common.event.Stage;
import org.hypnostream.common.event.StageEvent;

/** The stage of one epoch as the statistics need it: [start, end) on the device clock. */
public record EpochStage(long index, Instant start, Instant end, Stage stage) {
    public EpochStage {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(stage, "stage");
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("epoch " + index + ": end " + end + " not after start " + start);
        }
    }

    public static EpochStage of(StageEvent e) {
        return new EpochStage(e.epochIndex(), e.epochStart(), e.epochEnd(), e.stage());
    }

    Instant midpoint() {
        return start.plusNanos(java.time.Duration.between(start, end).toNanos() / 2);
    }

    double minutes() {
        return java.time.Duration.between(start, end).toNanos() / 60e9;
    }
}
