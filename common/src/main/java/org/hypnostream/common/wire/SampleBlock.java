package org.hypnostream.common.wire;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * About one second of samples from one amplifier source of one bed, in physical units.
 *
 * <p>{@code seq} is gap-free per {@code sourceId}: the gateway numbers blocks 0, 1, 2, ... so that the stream
 * processor can drop duplicates (same source + seq) and see gaps. All channels of a block share one sample rate;
 * a bed whose montage mixes rates (EEG at 256 Hz, leg EMG at 200 Hz) uses one source per rate.
 *
 * @param bedId              the bed; also the Kafka key
 * @param sourceId           the amplifier stream, unique per bed (e.g. "amp-3/eeg")
 * @param seq                gap-free sequence number of this block within the source, from 0
 * @param sessionStartMicros the bed's session (recording) start, UTC microseconds; epochs align to it
 * @param deviceTimeMicros   device time of the first sample, UTC microseconds
 * @param receiveTimeMicros  gateway wall-clock time when the block was journaled, UTC microseconds
 * @param sampleRateHz       samples per second per channel
 * @param channels           channel descriptions, same order as {@code samples}
 * @param samples            samples[channel][i], physical units (µV for electrophysiology); NaN marks a bad sample
 */
public record SampleBlock(
        String bedId,
        String sourceId,
        long seq,
        long sessionStartMicros,
        long deviceTimeMicros,
        long receiveTimeMicros,
        double sampleRateHz,
        List<ChannelInfo> channels,
        float[][] samples) {

    public static final int MAX_CHANNELS = 256;
    public static final int MAX_SAMPLES_PER_CHANNEL = 65_536;
    public static final double MAX_SAMPLE_RATE_HZ = 100_000.0;
    /** channels x samples per block; keeps one block under 4 MiB on the wire. */
    public static final int MAX_TOTAL_SAMPLES = 1 << 20;

    public SampleBlock {
        Objects.requireNonNull(bedId, "bedId");
        Objects.requireNonNull(sourceId, "sourceId");
        channels = List.copyOf(channels);
        Objects.requireNonNull(samples, "samples");
        String where = "block " + seq + " from " + sourceId + " of bed " + bedId;
        if (bedId.isBlank() || bedId.length() > 64) {
            throw new IllegalArgumentException(where + ": bed id must be 1-64 characters");
        }
        if (sourceId.isBlank() || sourceId.length() > 64) {
            throw new IllegalArgumentException(where + ": source id must be 1-64 characters");
        }
        if (seq < 0) {
            throw new IllegalArgumentException(where + ": negative sequence number");
        }
        if (!(sampleRateHz > 0 && sampleRateHz <= MAX_SAMPLE_RATE_HZ)) {
            throw new IllegalArgumentException(where + ": absurd sample rate " + sampleRateHz + " Hz");
        }
        if (channels.isEmpty() || channels.size() > MAX_CHANNELS) {
            throw new IllegalArgumentException(where + ": " + channels.size() + " channels, expected 1-" + MAX_CHANNELS);
        }
        if (samples.length != channels.size()) {
            throw new IllegalArgumentException(where + ": " + samples.length + " sample rows for " + channels.size() + " channels");
        }
        int n = samples[0].length;
        if (n == 0 || n > MAX_SAMPLES_PER_CHANNEL) {
            throw new IllegalArgumentException(where + ": " + n + " samples per channel, expected 1-" + MAX_SAMPLES_PER_CHANNEL);
        }
        if ((long) n * channels.size() > MAX_TOTAL_SAMPLES) {
            throw new IllegalArgumentException(where + ": oversized block, " + n + " x " + channels.size()
                    + " samples exceeds " + MAX_TOTAL_SAMPLES);
        }
        for (int c = 0; c < samples.length; c++) {
            if (samples[c].length != n) {
                throw new IllegalArgumentException(where + ": channel " + channels.get(c).label() + " has "
                        + samples[c].length + " samples, expected " + n);
            }
        }
    }

    public int samplesPerChannel() {
        return samples[0].length;
    }

    /** Device time just after the last sample, UTC microseconds. */
    public long endDeviceTimeMicros() {
        return deviceTimeMicros + Math.round(samplesPerChannel() * 1_000_000.0 / sampleRateHz);
    }

    public int channelIndex(String label) {
        for (int i = 0; i < channels.size(); i++) {
            if (channels.get(i).label().equals(label)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SampleBlock b
                && seq == b.seq && sessionStartMicros == b.sessionStartMicros
                && deviceTimeMicros == b.deviceTimeMicros && receiveTimeMicros == b.receiveTimeMicros
                && Double.compare(sampleRateHz, b.sampleRateHz) == 0
                && bedId.equals(b.bedId) && sourceId.equals(b.sourceId) && channels.equals(b.channels)
                && Arrays.deepEquals(samples, b.samples);
    }

    @Override
    public int hashCode() {
        return Objects.hash(bedId, sourceId, seq, deviceTimeMicros) * 31 + Arrays.deepHashCode(samples);
    }

    @Override
    public String toString() {
        return "SampleBlock[bed=" + bedId + ", source=" + sourceId + ", seq=" + seq + ", rate=" + sampleRateHz
                + ", channels=" + channels.size() + ", samples=" + samplesPerChannel() + "]";
    }
}
