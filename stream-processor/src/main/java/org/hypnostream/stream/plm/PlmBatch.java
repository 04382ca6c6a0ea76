package org.hypnostream.stream.plm;

import java.util.List;

/**
 * Whole-recording PLM scoring with the same rules as the live topology (for {@code evaluate lm} and reports):
 * monolateral LMs in, LM/CLM/PLM counts, confirmed series and indices per hour of recording out (no stages).
 */
public final class PlmBatch {
    private PlmBatch() {
    }

    public record Summary(long lmCount, long clmCount, long plmCount, int seriesCount, double recordingHours,
            double lmIndex, double plmIndex, double periodicityIndex) {
    }

    public static Summary summarise(List<MonoLm> monos, PlmRuleSet rules, double recordingHours) {
        List<Lm> lms = BilateralMerger.mergeAll(monos, rules);
        PlmSeriesTracker t = new PlmSeriesTracker();
        long clm = 0;
        long plm = 0;
        int series = 0;
        for (Lm lm : lms) {
            if (lm.candidate()) {
                clm++;
            }
            PlmSeriesTracker.Step st = t.accept("batch", lm, null, rules);
            plm += st.plmOnsets().size();
            if (PlmSeriesTracker.CONFIRMED.equals(st.state()) && st.length() == PlmRuleSet.MIN_SERIES) {
                series++;
            }
        }
        return new Summary(lms.size(), clm, plm, series, recordingHours,
                PlmIndexCalculator.perHour(lms.size(), recordingHours), PlmIndexCalculator.perHour(plm, recordingHours),
                clm == 0 ? 0 : (double) plm / clm);
    }
}
