package org.hypnostream.inference.leg;

import java.util.Objects;
import java.util.Set;
import org.hypnostream.common.event.LegSide;
import org.hypnostream.common.wire.QualityFlag;

/**
 * The technical state of one leg channel over the new part of a leg window. Anything but OK and MAINS stops
 * movement detection on that leg for that stretch (no flood of false movements); the inference lane publishes a
 * non-OK status as a technical alert (codes {@link #alertCode()}).
 *
 * @param condition   see {@link Condition}
 * @param detail      human-readable evidence, e.g. "std 0.01 µV over 2400 samples"
 * @param fromSample  first sample (global index since session start) the status covers
 * @param toSample    one past the last sample covered
 */
public record LegChannelStatus(LegSide side, Condition condition, String detail, long fromSample, long toSample) {

    /**
     * OK; MAINS (hum removed by the notches, detection continues); FLAT, SATURATED, DISCONNECTED and COARSE
     * (quantisation step too large to resolve the µV thresholds, e.g. an export stored in volts with 31 µV steps,
     * where every step would look like a movement) block detection.
     */
    public enum Condition { OK, FLAT, SATURATED, DISCONNECTED, MAINS, COARSE }

    /** Standard deviation below which a channel is flat (electrode shorted or amplifier stuck), µV. */
    static final double FLAT_STD_UV = 0.25;
    /** Share of samples sitting exactly at the window's min or max above which a channel is saturated. */
    static final double RAIL_SHARE = 0.05;
    /** Share of NaN samples above which a channel counts as disconnected. */
    static final double NAN_SHARE = 0.5;
    /** Mains hum: share of (10 Hz high-passed) variance removed by the 50/60 Hz notches, and its RMS in µV. */
    static final double MAINS_SHARE = 0.5;
    static final double MAINS_RMS_UV = 5.0;
    /** Smallest non-zero step between samples at or above which the channel cannot resolve the rules, µV. */
    static final double COARSE_STEP_UV = 4.0;

    public LegChannelStatus {
        Objects.requireNonNull(side, "side");
        Objects.requireNonNull(condition, "condition");
    }

    /** True when movements cannot be detected on this stretch. */
    public boolean blocksDetection() {
        return condition != Condition.OK && condition != Condition.MAINS;
    }

    /** Alert code for a non-OK status, e.g. LEG_CHANNEL_FLAT; null when OK. */
    public String alertCode() {
        return condition == Condition.OK ? null : "LEG_CHANNEL_" + condition.name();
    }

    /** Smallest gap between distinct finite sample values (the ADC step of a quantised signal), µV. */
    static double quantisationStep(float[] x, int from, int to) {
        float[] v = new float[to - from];
        int n = 0;
        for (int i = from; i < to; i++) {
            if (Float.isFinite(x[i])) {
                v[n++] = x[i];
            }
        }
        java.util.Arrays.sort(v, 0, n);
        double step = Double.POSITIVE_INFINITY;
        for (int i = 1; i < n; i++) {
            double d = (double) v[i] - v[i - 1];
            if (d > 0 && d < step) {
                step = d;
            }
        }
        return step;
    }

    /**
     * True when two distinct finite samples of [from, to) lie less than {@code threshold} apart, so that
     * {@link #quantisationStep} is below it; false when there is no such pair or the test cannot tell (then the sort
     * decides). One pass, no sort: buckets {@code threshold} wide over [min, max] (at most one per sample) each remember
     * one value; a second, different value in the same bucket is such a pair. A fine signal meets one within its first
     * few samples.
     */
    static boolean hasStepBelow(float[] x, int from, int to, double min, double max, double threshold) {
        double span = (max - min) / threshold;
        if (!(span < to - from)) {
            return false;
        }
        float[] bucket = new float[(int) span + 1];
        java.util.Arrays.fill(bucket, Float.NaN);
        for (int i = from; i < to; i++) {
            float v = x[i];
            if (!Float.isFinite(v)) {
                continue;
            }
            int b = (int) ((v - min) / threshold);
            float seen = bucket[b];
            if (Float.isNaN(seen)) {
                bucket[b] = v;
            } else {
                double d = Math.abs((double) v - seen);
                if (d > 0 && d < threshold) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Assesses samples [from, to) of one leg (µV). Window quality flags from the spine win over measurements. */
    static LegChannelStatus assess(LegSide side, float[] x, int from, int to, double rateHz, Set<QualityFlag> flags,
            long globalFrom) {
        long gFrom = globalFrom;
        long gTo = globalFrom + (to - from);
        int n = to - from;
        int nan = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        double sum2 = 0;
        for (int i = from; i < to; i++) {
            float v = x[i];
            if (!Float.isFinite(v)) {
                nan++;
                continue;
            }
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
            sum2 += (double) v * v;
        }
        if (flags.contains(QualityFlag.MISSING_CHANNEL)) {
            return new LegChannelStatus(side, Condition.DISCONNECTED, "channel missing from the montage", gFrom, gTo);
        }
        if (n == 0 || nan > NAN_SHARE * n) {
            return new LegChannelStatus(side, Condition.DISCONNECTED, nan + " of " + n + " samples missing", gFrom, gTo);
        }
        int finite = n - nan;
        double mean = sum / finite;
        double std = Math.sqrt(Math.max(0, sum2 / finite - mean * mean));
        if (flags.contains(QualityFlag.FLAT) || std < FLAT_STD_UV) {
            return new LegChannelStatus(side, Condition.FLAT,
                    String.format(java.util.Locale.ROOT, "std %.3f µV over %d samples", std, finite), gFrom, gTo);
        }
        if (!hasStepBelow(x, from, to, min, max, COARSE_STEP_UV)) {
            double step = quantisationStep(x, from, to); // exact, for the message
            if (step >= COARSE_STEP_UV) {
                return new LegChannelStatus(side, Condition.COARSE, String.format(java.util.Locale.ROOT,
                        "quantisation step %.2f µV cannot resolve µV thresholds", step), gFrom, gTo);
            }
        }
        int atRails = 0;
        for (int i = from; i < to; i++) {
            float v = x[i];
            if (Float.isFinite(v) && (v == min || v == max)) {
                atRails++;
            }
        }
        if (flags.contains(QualityFlag.CLIPPED) || atRails > RAIL_SHARE * finite) {
            return new LegChannelStatus(side, Condition.SATURATED,
                    atRails + " of " + finite + " samples at the rails " + min + "/" + max + " µV", gFrom, gTo);
        }
        double[] removed = EnvelopeFilter.mainsShare(x, from, to, rateHz);
        if (removed[0] > MAINS_SHARE && removed[1] > MAINS_RMS_UV) {
            return new LegChannelStatus(side, Condition.MAINS, String.format(java.util.Locale.ROOT,
                    "mains hum %.1f µV rms (%.0f %% of 10 Hz high-passed power), notched", removed[1],
                    100 * removed[0]), gFrom, gTo);
        }
        return new LegChannelStatus(side, Condition.OK, "ok", gFrom, gTo);
    }
}
