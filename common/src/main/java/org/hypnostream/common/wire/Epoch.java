package org.hypnostream.common.wire;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A 30-s EEG epoch of one bed, aligned to the bed's session start: epoch n covers
 * [sessionStart + 30 n s, sessionStart + 30 (n + 1) s). Channels are the stager's inputs in the stager's order
 * (e.g. "Fpz-Cz", "Pz-Oz", "EOG"), resampled to {@code sampleRateHz}, in µV; a missing sample is NaN.
 *
 * @param lastBlockReceiveMicros gateway journal time of the newest block that contributed (end-to-end latency start)
 */
public record Epoch(
        String bedId,
        long index,
        long sessionStartMicros,
        double sampleRateHz,
        List<String> channelLabels,
        float[][] samples,
        Set<QualityFlag> quality,
        long lastBlockReceiveMicros) {

    public static final long EPOCH_MICROS = 30_000_000L;

    public Epoch {
        Objects.requireNonNull(bedId, "bedId");
        channelLabels = List.copyOf(channelLabels);
        quality = quality.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(quality));
        if (index < 0) {
            throw new IllegalArgumentException("epoch " + index + " of bed " + bedId + ": negative index");
        }
        if (samples.length != channelLabels.size()) {
            throw new IllegalArgumentException("epoch " + index + " of bed " + bedId + ": " + samples.length
                    + " sample rows for " + channelLabels.size() + " channels");
        }
        if (!(sampleRateHz > 0)) {
            throw new IllegalArgumentException("epoch " + index + " of bed " + bedId + ": bad rate " + sampleRateHz);
        }
    }

    public long startMicros() {
        return sessionStartMicros + index * EPOCH_MICROS;
    }

    public long endMicros() {
        return startMicros() + EPOCH_MICROS;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Epoch e && index == e.index && sessionStartMicros == e.sessionStartMicros
                && Double.compare(sampleRateHz, e.sampleRateHz) == 0 && lastBlockReceiveMicros == e.lastBlockReceiveMicros
                && bedId.equals(e.bedId) && channelLabels.equals(e.channelLabels) && quality.equals(e.quality)
                && Arrays.deepEquals(samples, e.samples);
    }

    @Override
    public int hashCode() {
        return Objects.hash(bedId, index, channelLabels, quality) * 31 + Arrays.deepHashCode(samples);
    }

    @Override
    public String toString() {
        return "Epoch[bed=" + bedId + ", index=" + index + ", channels=" + channelLabels + ", quality=" + quality + "]";
    }
}
