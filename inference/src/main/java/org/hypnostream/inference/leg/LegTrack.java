package org.hypnostream.inference.leg;

import java.util.Arrays;
import org.hypnostream.common.event.LegSide;

/**
 * One leg's causal detector state: envelope filter, running resting baseline, the open movement. Fed one sample
 * at a time with its global sample index (samples since session start), so overlapping windows never matter here.
 *
 * <p>Resting baseline: the envelope is cut into 0.5 s blocks; each block's median goes into a ring of the last 120
 * blocks (60 s); the baseline is the 10th percentile of that ring, refreshed at every block end and available
 * after 6 blocks (3 s). A sample is compared with the baseline of the blocks before it (causal).
 */
final class LegTrack {
    static final int BASELINE_BLOCKS = 120;
    static final int MIN_BASELINE_BLOCKS = 6;
    static final double BASELINE_PERCENTILE = 0.10;
    /** An open movement that has not met the morphology criterion after this long is dropped and the leg re-armed. */
    static final double MORPHOLOGY_GIVE_UP_SECONDS = 10.0;

    /** A finished monolateral movement in global sample indices (delay-compensated), offset exclusive. */
    record Movement(LegSide side, long onsetSample, long offsetSample, double peakUv, double baselineUv, boolean gap) {
    }

    private final LegSide side;
    private final LegRules rules;
    private final EnvelopeFilter filter;
    private final int blockLen;
    private final int quietLen;
    private final int minDurLen;
    private final int morphLen;
    private final int settleLen;
    private final long giveUpLen;
    private final double[] blockMedians = new double[BASELINE_BLOCKS];
    private int bmCount;
    private int bmPos;
    private final double[] block;
    private int blockFill;
    private double baseline = Double.NaN;
    private final double[] recent;
    private int recentPos;
    private long sinceOnset;
    private boolean active;
    private long onset;
    private long quietStart = -1;
    private boolean morphOk;
    private long morphEnd;
    private double peak;
    private int settle;
    long rejectedShort;
    long rejectedMorphology;
    long discarded;

    LegTrack(LegSide side, LegRules rules, double rateHz) {
        this.side = side;
        this.rules = rules;
        this.filter = new EnvelopeFilter(rateHz);
        this.blockLen = Math.max(1, (int) Math.round(0.5 * rateHz));
        this.quietLen = Math.max(1, (int) Math.round(rules.offsetQuietSeconds() * rateHz));
        this.minDurLen = Math.max(1, (int) Math.round(rules.minDurationSeconds() * rateHz));
        this.morphLen = Math.max(1, (int) Math.round(rules.morphologyWindowSeconds() * rateHz));
        this.settleLen = (int) Math.round(0.25 * rateHz);
        this.giveUpLen = Math.round(MORPHOLOGY_GIVE_UP_SECONDS * rateHz);
        this.block = new double[blockLen];
        this.recent = new double[morphLen];
    }

    double baselineUv() {
        return baseline;
    }

    boolean active() {
        return active;
    }

    /** Feeds one raw sample (µV, NaN = missing) at global index g; returns a finished movement or null. */
    LegTrack.Movement step(long g, float raw) {
        if (!Float.isFinite(raw)) {
            return interrupt(g);
        }
        double e = filter.next(raw);
        if (settle > 0) {
            settle--;
            return null;
        }
        Movement out = null;
        if (!Double.isNaN(baseline)) {
            double above = e - baseline;
            if (!active) {
                if (above >= rules.onsetAboveRestUv()) {
                    active = true;
                    onset = g;
                    quietStart = -1;
                    morphOk = !rules.morphology();
                    morphEnd = g;
                    peak = e;
                    sinceOnset = 0;
                }
            } else {
                peak = Math.max(peak, e);
                if (above <= rules.offsetAboveRestUv()) {
                    if (quietStart < 0) {
                        quietStart = g;
                    }
                    if (g - quietStart + 1 >= quietLen) {
                        out = close(quietStart, false);
                    }
                } else {
                    quietStart = -1;
                }
            }
            if (active) {
                recent[recentPos] = e;
                recentPos = (recentPos + 1) % morphLen;
                sinceOnset++;
                if (!morphOk && sinceOnset >= morphLen && median(recent) - baseline >= rules.morphologyMedianUv()) {
                    morphOk = true;
                    morphEnd = g + 1;
                }
                if (!morphOk && sinceOnset >= giveUpLen) {
                    // sparse spikes (fast ECG bleed) that never leave 0.5 s of quiet: not a movement; re-arm
                    active = false;
                    quietStart = -1;
                    rejectedMorphology++;
                }
            }
        }
        block[blockFill++] = e;
        if (blockFill == blockLen) {
            blockMedians[bmPos] = median(block);
            bmPos = (bmPos + 1) % BASELINE_BLOCKS;
            bmCount = Math.min(BASELINE_BLOCKS, bmCount + 1);
            blockFill = 0;
            if (bmCount >= MIN_BASELINE_BLOCKS) {
                double[] b = Arrays.copyOf(blockMedians, bmCount);
                Arrays.sort(b);
                baseline = b[(int) Math.floor(BASELINE_PERCENTILE * (bmCount - 1))];
            }
        }
        return out;
    }

    /** Missing data at g: an open movement ends there (flagged GAP), the filter restarts and settles. */
    Movement interrupt(long g) {
        Movement m = active ? close(g, true) : null;
        restart();
        return m;
    }

    /** The channel is unusable: an open movement is discarded (counted), the filter restarts. */
    void suspend() {
        if (active) {
            discarded++;
            active = false;
        }
        restart();
    }

    private void restart() {
        filter.reset();
        settle = settleLen;
        blockFill = 0;
        quietStart = -1;
    }

    private Movement close(long offsetSample, boolean gap) {
        active = false;
        quietStart = -1;
        if (offsetSample - onset < minDurLen) {
            rejectedShort++;
            return null;
        }
        if (!morphOk || morphEnd > offsetSample) {
            rejectedMorphology++;
            return null;
        }
        int d = filter.delaySamples();
        return new Movement(side, Math.max(0, onset - d), Math.max(0, offsetSample - d), peak, baseline, gap);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }
}
