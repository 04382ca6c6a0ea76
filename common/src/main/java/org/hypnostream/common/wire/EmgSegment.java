package org.hypnostream.common.wire;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A window of needle EMG from one recording, cut to the screening model's window length at the recording's rate,
 * in µV. {@code last} is true for the final segment of a recording (the stream ended), so a per-recording verdict
 * can be made final.
 */
public record EmgSegment(
        String bedId,
        String recordingId,
        long index,
        long startMicros,
        double sampleRateHz,
        float[] samples,
        Set<QualityFlag> quality,
        boolean last,
        long lastBlockReceiveMicros) {

    public EmgSegment {
        Objects.requireNonNull(bedId, "bedId");
        Objects.requireNonNull(recordingId, "recordingId");
        quality = quality.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(quality));
        if (samples.length == 0 || index < 0 || !(sampleRateHz > 0)) {
            throw new IllegalArgumentException("EMG segment " + index + " of " + recordingId + ": empty, bad index or rate");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EmgSegment s && index == s.index && startMicros == s.startMicros && last == s.last
                && Double.compare(sampleRateHz, s.sampleRateHz) == 0 && lastBlockReceiveMicros == s.lastBlockReceiveMicros
                && bedId.equals(s.bedId) && recordingId.equals(s.recordingId) && quality.equals(s.quality)
                && Arrays.equals(samples, s.samples);
    }

    @Override
    public int hashCode() {
        return Objects.hash(bedId, recordingId, index) * 31 + Arrays.hashCode(samples);
    }

    @Override
    public String toString() {
        return "EmgSegment[recording=" + recordingId + ", index=" + index + ", samples=" + samples.length + ", last=" + last + "]";
    }
}
