package org.hypnostream.inference.stage;

import java.util.List;
import java.util.Set;
import org.hypnostream.common.wire.Epoch;
import org.hypnostream.common.wire.QualityFlag;

/**
 * Decides whether an epoch's own data may be turned into features. Returns the reason it may not, or null.
 * Checks the stream processor's flags first, then the samples themselves (never trusts the flags alone).
 */
final class EpochQuality {
    /** Flags that make the epoch's samples unusable for the feature recipe. */
    static final Set<QualityFlag> FATAL = Set.of(QualityFlag.GAP, QualityFlag.NAN, QualityFlag.FLAT,
            QualityFlag.CLIPPED, QualityFlag.MISSING_CHANNEL, QualityFlag.PARTIAL);
    /** Below this standard deviation (µV) a channel is flat (training minimum 0.62 µV, stager-features.md §6). */
    static final double FLAT_STD_UV = 0.1;
    /** A channel with more than this share of its samples at its own extreme values is clipped. */
    static final double CLIPPED_SHARE = 0.05;

    private EpochQuality() {
    }

    static String problem(Epoch epoch, List<String> channels, double rateHz, int samples) {
        for (QualityFlag f : QualityFlag.values()) {
            if (FATAL.contains(f) && epoch.quality().contains(f)) {
                return f.name() + " flagged on the epoch";
            }
        }
        if (epoch.sampleRateHz() != rateHz) {
            return "rate " + epoch.sampleRateHz() + " Hz, model needs " + rateHz + " Hz";
        }
        for (String ch : channels) {
            int at = epoch.channelLabels().indexOf(ch);
            if (at < 0) {
                return "MISSING_CHANNEL " + ch;
            }
            float[] x = epoch.samples()[at];
            if (x.length != samples) {
                return "PARTIAL " + ch + " has " + x.length + " samples, expected " + samples;
            }
            String p = signalProblem(x);
            if (p != null) {
                return p + " on " + ch;
            }
        }
        return null;
    }

    private static String signalProblem(float[] x) {
        double sum = 0;
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : x) {
            if (!Float.isFinite(v)) {
                return "NAN";
            }
            sum += v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double mean = sum / x.length;
        double ss = 0;
        int atMin = 0;
        int atMax = 0;
        for (float v : x) {
            ss += (v - mean) * (v - mean);
            atMin += v == min ? 1 : 0;
            atMax += v == max ? 1 : 0;
        }
        if (Math.sqrt(ss / x.length) < FLAT_STD_UV) {
            return "FLAT";
        }
        if (atMin > CLIPPED_SHARE * x.length || atMax > CLIPPED_SHARE * x.length) {
            return "CLIPPED";
        }
        return null;
    }

    /** The epoch's flags plus the one {@link #problem} found in the samples (its reasons start with the flag name). */
    static Set<QualityFlag> withFound(Set<QualityFlag> flags, String reason) {
        if (reason == null) {
            return flags;
        }
        String first = reason.split(" ", 2)[0];
        for (QualityFlag f : QualityFlag.values()) {
            if (f.name().equals(first) && !flags.contains(f)) {
                java.util.EnumSet<QualityFlag> all = java.util.EnumSet.of(f);
                all.addAll(flags);
                return all;
            }
        }
        return flags;
    }
}
