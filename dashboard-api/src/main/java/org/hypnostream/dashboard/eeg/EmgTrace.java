package org.hypnostream.dashboard.eeg;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.hypnostream.common.wire.EmgSegment;

/**
 * The latest needle-EMG segment of a bed reduced for drawing: a min/max envelope in {@link #BINS} bins (a 1-s
 * segment at 23.4 kHz becomes 2 x 600 values, so every spike stays visible). NaN samples (the padding of a
 * recording's closing segment) are left out; a bin with no finite sample is null.
 */
public record EmgTrace(String bedId, String recordingId, long index, long startMicros, double sampleRateHz, int samples,
        float[] min, float[] max, boolean last) {
    public static final int BINS = 600;

    public static EmgTrace from(EmgSegment s) {
        float[] x = s.samples();
        int bins = Math.min(BINS, x.length);
        float[] lo = new float[bins];
        float[] hi = new float[bins];
        for (int b = 0; b < bins; b++) {
            int from = (int) ((long) b * x.length / bins);
            int to = (int) ((long) (b + 1) * x.length / bins);
            float mn = Float.NaN;
            float mx = Float.NaN;
            for (int i = from; i < to; i++) {
                if (Float.isFinite(x[i])) {
                    mn = Float.isNaN(mn) ? x[i] : Math.min(mn, x[i]);
                    mx = Float.isNaN(mx) ? x[i] : Math.max(mx, x[i]);
                }
            }
            lo[b] = mn;
            hi[b] = mx;
        }
        return new EmgTrace(s.bedId(), s.recordingId(), s.index(), s.startMicros(), s.sampleRateHz(), x.length, lo, hi, s.last());
    }

    /** {@code {"type":"emg","bed","recording","i","rateHz","seconds","last","min":[µV|null],"max":[..]}}. */
    public JsonObject json() {
        JsonArray lo = new JsonArray();
        JsonArray hi = new JsonArray();
        for (int b = 0; b < min.length; b++) {
            lo.add(Float.isNaN(min[b]) ? null : Math.round(min[b] * 10) / 10.0);
            hi.add(Float.isNaN(max[b]) ? null : Math.round(max[b] * 10) / 10.0);
        }
        return new JsonObject().put("type", "emg").put("bed", bedId).put("recording", recordingId).put("i", index)
                .put("rateHz", sampleRateHz).put("seconds", samples / sampleRateHz).put("last", last).put("min", lo).put("max", hi);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EmgTrace t && bedId.equals(t.bedId) && recordingId.equals(t.recordingId) && index == t.index
                && startMicros == t.startMicros && Double.compare(sampleRateHz, t.sampleRateHz) == 0 && samples == t.samples
                && last == t.last && java.util.Arrays.equals(min, t.min) && java.util.Arrays.equals(max, t.max);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(bedId, recordingId, index) * 31 + java.util.Arrays.hashCode(max);
    }

    @Override
    public String toString() {
        return "EmgTrace[" + bedId + ", " + recordingId + ", segment " + index + (last ? ", last]" : "]");
    }
}
