package org.hypnostream.common.wire;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Left and right tibialis-anterior EMG of one bed, {@link #SAMPLES} samples per leg at the leg model's rate
 * (default 200 Hz), in µV. Window k starts at sessionStart + k * hopSamples / sampleRateHz; windows overlap when
 * the hop is shorter than the window. Missing samples are NaN.
 */
public record LegWindow(
        String bedId,
        long index,
        long sessionStartMicros,
        double sampleRateHz,
        int hopSamples,
        float[] left,
        float[] right,
        Set<QualityFlag> leftQuality,
        Set<QualityFlag> rightQuality,
        long lastBlockReceiveMicros) {

    public static final int SAMPLES = 4801;

    public LegWindow {
        Objects.requireNonNull(bedId, "bedId");
        leftQuality = leftQuality.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(leftQuality));
        rightQuality = rightQuality.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(rightQuality));
        if (left.length != SAMPLES || right.length != SAMPLES) {
            throw new IllegalArgumentException("leg window " + index + " of bed " + bedId + ": " + left.length + "/"
                    + right.length + " samples, expected " + SAMPLES + " per leg");
        }
        if (index < 0 || hopSamples < 1 || !(sampleRateHz > 0)) {
            throw new IllegalArgumentException("leg window " + index + " of bed " + bedId + ": bad index, hop or rate");
        }
    }

    /** Time of the first sample, UTC microseconds. */
    public long startMicros() {
        return sessionStartMicros + Math.round(index * (double) hopSamples * 1_000_000.0 / sampleRateHz);
    }

    /** Time just after the last sample, UTC microseconds. */
    public long endMicros() {
        return startMicros() + Math.round(SAMPLES * 1_000_000.0 / sampleRateHz);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LegWindow w && index == w.index && sessionStartMicros == w.sessionStartMicros
                && hopSamples == w.hopSamples && Double.compare(sampleRateHz, w.sampleRateHz) == 0
                && lastBlockReceiveMicros == w.lastBlockReceiveMicros && bedId.equals(w.bedId)
                && leftQuality.equals(w.leftQuality) && rightQuality.equals(w.rightQuality)
                && Arrays.equals(left, w.left) && Arrays.equals(right, w.right);
    }

    @Override
    public int hashCode() {
        return Objects.hash(bedId, index) * 31 + Arrays.hashCode(left) * 17 + Arrays.hashCode(right);
    }

    @Override
    public String toString() {
        return "LegWindow[bed=" + bedId + ", index=" + index + ", hop=" + hopSamples + ", quality L=" + leftQuality
                + " R=" + rightQuality + "]";
    }
}
