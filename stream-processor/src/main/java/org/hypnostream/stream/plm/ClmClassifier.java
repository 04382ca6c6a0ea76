package org.hypnostream.stream.plm;

import java.util.List;
import org.hypnostream.common.event.LegSide;

/** Candidate-LM classification of one merged group of monolateral LMs (plm-rules.md, "Candidate LM"). */
public final class ClmClassifier {
    private ClmClassifier() {
    }

    /** {@code group}: the (same-leg merged, >= 0.5 s) monolateral LMs forming one movement. */
    public static Lm classify(List<MonoLm> group, PlmRuleSet rules) {
        if (group.isEmpty()) {
            throw new IllegalArgumentException("empty leg-movement group");
        }
        long onset = Long.MAX_VALUE;
        long offset = Long.MIN_VALUE;
        boolean left = false;
        boolean right = false;
        double longestMember = 0;
        for (MonoLm m : group) {
            onset = Math.min(onset, m.onsetMicros());
            offset = Math.max(offset, m.offsetMicros());
            left |= m.side() == LegSide.LEFT;
            right |= m.side() == LegSide.RIGHT;
            longestMember = Math.max(longestMember, m.durationSeconds());
        }
        String side = left && right ? "BILATERAL" : left ? "LEFT" : "RIGHT";
        double dur = (offset - onset) / 1e6;
        int n = group.size();
        String reason = null;
        if (dur < PlmRuleSet.MIN_DURATION_S) {
            reason = "shorter than 0.5 s";
        } else if (longestMember > PlmRuleSet.MAX_MONOLATERAL_S) {
            reason = n == 1 ? "monolateral LM longer than 10 s" : "a member LM is longer than 10 s";
        } else if (n > 1 && n > rules.maxBilateralMembers()) {
            reason = "bilateral LM of " + n + " monolateral LMs (at most " + rules.maxBilateralMembers() + ")";
        } else if (n > 1 && dur > rules.maxBilateralSeconds()) {
            reason = "bilateral LM longer than 15 s";
        }
        return new Lm(onset, offset, side, n, reason == null, reason);
    }
}
