package org.hypnostream.stream.plm;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.hypnostream.common.event.LegSide;

/**
 * Same-leg merging, minimum duration and bilateral grouping of monolateral LMs, in the order PLMScoRe applies them:
 * (1) same-leg LMs separated by < 0.5 s (offset to onset) merge; (2) LMs shorter than 0.5 s are dropped (they are
 * not LMs); (3) WASM: an LM whose onset lies before the group's offset + 0.5 s joins the group (overlap or < 0.5 s
 * gap, either leg); AASM: an LM of the other leg whose onset is < 5 s after the group's onset joins it.
 *
 * <p>Streaming: {@link #drain} finalises only groups no future LM can still join, given a watermark (every LM not
 * yet received starts at or after it).
 */
public final class BilateralMerger {
    private static final long MICROS = 1_000_000L;

    private BilateralMerger() {
    }

    /** Result of a drain: finished movements (onset order), LMs kept for later, short LMs dropped. */
    public record Drain(List<Lm> finished, List<MonoLm> pending, int droppedShort) {
    }

    /** Batch: merges and classifies a whole night (or a test table). */
    public static List<Lm> mergeAll(List<MonoLm> monos, PlmRuleSet rules) {
        return drain(monos, Long.MAX_VALUE, rules).finished();
    }

    /** Finalises the groups whose joining horizon is at or before {@code watermarkMicros}. */
    public static Drain drain(List<MonoLm> pending, long watermarkMicros, PlmRuleSet rules) {
        List<MonoLm> merged = mergeSameLeg(pending);
        List<MonoLm> usable = new ArrayList<>();
        List<MonoLm> keep = new ArrayList<>();
        int dropped = 0;
        for (MonoLm m : merged) {
            if (m.durationSeconds() >= PlmRuleSet.MIN_DURATION_S) {
                usable.add(m);
            } else if (horizon(m.offsetMicros(), PlmRuleSet.SAME_LEG_GAP_S) <= watermarkMicros) {
                dropped++;
            } else {
                keep.add(m);
            }
        }
        List<Lm> finished = new ArrayList<>();
        int i = 0;
        while (i < usable.size()) {
            List<MonoLm> group = new ArrayList<>();
            MonoLm first = usable.get(i);
            group.add(first);
            long groupOffset = first.offsetMicros();
            int j = i + 1;
            while (j < usable.size() && joins(group, groupOffset, usable.get(j), rules)) {
                groupOffset = Math.max(groupOffset, usable.get(j).offsetMicros());
                group.add(usable.get(j));
                j++;
            }
            long h = rules == PlmRuleSet.AASM
                    ? Math.max(first.onsetMicros() + Math.round(PlmRuleSet.AASM_BILATERAL_ONSETS_S * MICROS),
                            horizon(groupOffset, PlmRuleSet.SAME_LEG_GAP_S))
                    : horizon(groupOffset, PlmRuleSet.BILATERAL_GAP_S);
            if (h > watermarkMicros) {
                break;
            }
            finished.add(ClmClassifier.classify(group, rules));
            i = j;
        }
        keep.addAll(usable.subList(i, usable.size()));
        keep.sort(Comparator.comparingLong(MonoLm::onsetMicros));
        return new Drain(finished, keep, dropped);
    }

    private static boolean joins(List<MonoLm> group, long groupOffset, MonoLm next, PlmRuleSet rules) {
        if (rules == PlmRuleSet.AASM) {
            MonoLm first = group.get(0);
            boolean otherLeg = group.stream().noneMatch(m -> m.side() == next.side());
            return otherLeg && next.onsetMicros() - first.onsetMicros() < Math.round(PlmRuleSet.AASM_BILATERAL_ONSETS_S * MICROS);
        }
        return next.onsetMicros() < groupOffset + Math.round(PlmRuleSet.BILATERAL_GAP_S * MICROS);
    }

    private static long horizon(long offsetMicros, double gapSeconds) {
        return offsetMicros + Math.round(gapSeconds * MICROS);
    }

    /** Same-leg LMs that overlap or are separated by < 0.5 s become one; result sorted by onset. */
    static List<MonoLm> mergeSameLeg(List<MonoLm> monos) {
        List<MonoLm> sorted = new ArrayList<>(monos);
        sorted.sort(Comparator.comparingLong(MonoLm::onsetMicros).thenComparingLong(MonoLm::offsetMicros));
        List<MonoLm> out = new ArrayList<>();
        MonoLm[] open = new MonoLm[2];
        for (MonoLm m : sorted) {
            int k = m.side() == LegSide.LEFT ? 0 : 1;
            MonoLm o = open[k];
            if (o != null && m.onsetMicros() < horizon(o.offsetMicros(), PlmRuleSet.SAME_LEG_GAP_S)) {
                open[k] = new MonoLm(o.side(), o.onsetMicros(), Math.max(o.offsetMicros(), m.offsetMicros()));
            } else {
                if (o != null) {
                    out.add(o);
                }
                open[k] = m;
            }
        }
        for (MonoLm o : open) {
            if (o != null) {
                out.add(o);
            }
        }
        out.sort(Comparator.comparingLong(MonoLm::onsetMicros));
        return out;
    }
}
