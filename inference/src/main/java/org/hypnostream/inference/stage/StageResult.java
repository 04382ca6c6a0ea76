package org.hypnostream.inference.stage;

import java.util.List;
import java.util.Set;
import org.hypnostream.common.event.Stage;
import org.hypnostream.common.wire.QualityFlag;

/**
 * The causal stager's answer for one epoch.
 *
 * @param probabilities  W, N1, N2, N3, REM (sum 1); empty only when UNSCORED without any prior context
 * @param fromPriorOnly  the epoch's own data was unusable; the stage was predicted from prior epochs only
 * @param reason         why UNSCORED or predicted from prior only (e.g. "FLAT on Fpz-Cz"); null otherwise
 */
public record StageResult(Stage stage, List<Double> probabilities, boolean fromPriorOnly, String reason,
        Set<QualityFlag> quality) {
    public StageResult {
        probabilities = probabilities == null ? List.of() : List.copyOf(probabilities);
        quality = quality == null ? Set.of() : Set.copyOf(quality);
    }

    /** The most probable stage of {@code p} (W, N1, N2, N3, REM) with all of its probabilities. */
    static StageResult mostProbable(double[] p, boolean fromPriorOnly, String reason, Set<QualityFlag> quality) {
        int best = 0;
        for (int j = 1; j < p.length; j++) {
            if (p[j] > p[best]) {
                best = j;
            }
        }
        return new StageResult(Stage.SCORED.get(best), java.util.Arrays.stream(p).boxed().toList(), fromPriorOnly, reason,
                quality);
    }
}
