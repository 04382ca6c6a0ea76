package org.hypnostream.stream.plm;

import java.util.ArrayList;
import java.util.List;

/**
 * The PLM series state machine of one bed, fed LMs in onset order (plm-rules.md, "PLM series"; PLMScoRe's plm()).
 * A CLM opens a series (CANDIDATE); each next CLM with an IMI (onset to onset) within the rule set's limits extends
 * it (PROVISIONAL at 2-3 members, CONFIRMED from the 4th: then its members are PLMs); an IMI out of limits breaks
 * the series and opens a new one with this CLM; a non-CLM breaks it and opens none. Mutable; public fields so the
 * state can live in the bed state store ({@link PlmStateCodec}).
 */
public final class PlmSeriesTracker {
    public static final String CANDIDATE = "CANDIDATE";
    public static final String PROVISIONAL = "PROVISIONAL";
    public static final String CONFIRMED = "CONFIRMED";
    public static final String BROKEN = "BROKEN";

    /** Open series id (null when none), its state, its members' onsets and their stages (null = unknown). */
    public String seriesId;
    public String state;
    public List<Long> memberOnsets = new ArrayList<>();
    public List<String> memberStages = new ArrayList<>();

    /**
     * What one LM did.
     *
     * @param imiSeconds    IMI from the previous CLM of the open series, or null (first CLM, after a non-CLM)
     * @param plmStages     stages (null = unknown) of the members that just became PLMs: all 4 when the series
     *                      is confirmed, then each new member
     * @param plmOnsets     their onsets, UTC microseconds
     * @param brokenSeriesId the series this LM ended, null if none; brokenState/brokenLength describe it
     */
    public record Step(Double imiSeconds, String seriesId, String state, int length, List<String> plmStages,
            List<Long> plmOnsets, String brokenSeriesId, String brokenState, int brokenLength) {
    }

    /** Feeds one LM (onset order) with the stage of its onset epoch (null when unknown). */
    public Step accept(String bedId, Lm lm, String stage, PlmRuleSet rules) {
        return accept(bedId, lm, stage, rules, 0.0);
    }

    /** Onset of the newest member of the open series, UTC microseconds, or null when no series is open. */
    public Long lastMemberOnset() {
        return seriesId == null ? null : memberOnsets.get(memberOnsets.size() - 1);
    }

    /**
     * As {@link #accept(String, Lm, String, PlmRuleSet)}, with {@code excludedSeconds} of the interval since the
     * last member left out of the IMI (AASM: wake periods longer than 90 s).
     */
    public Step accept(String bedId, Lm lm, String stage, PlmRuleSet rules, double excludedSeconds) {
        String brokenId = null;
        String brokenState = null;
        int brokenLen = 0;
        Double imi = null;
        if (!lm.candidate()) {
            if (seriesId != null) {
                brokenId = seriesId;
                brokenState = state;
                brokenLen = memberOnsets.size();
            }
            clear();
            return new Step(null, null, null, 0, List.of(), List.of(), brokenId, brokenState, brokenLen);
        }
        if (seriesId != null) {
            double d = (lm.onsetMicros() - memberOnsets.get(memberOnsets.size() - 1)) / 1e6 - excludedSeconds;
            imi = d;
            if (d < rules.imiMinSeconds() || d > rules.imiMaxSeconds()) {
                brokenId = seriesId;
                brokenState = state;
                brokenLen = memberOnsets.size();
                clear();
            }
        }
        List<String> plmStages = new ArrayList<>();
        List<Long> plmOnsets = new ArrayList<>();
        if (seriesId == null) {
            seriesId = bedId + ":series:" + lm.onsetMicros();
        }
        memberOnsets.add(lm.onsetMicros());
        memberStages.add(stage);
        length++;
        if (length == 1) {
            state = CANDIDATE;
        } else if (length < PlmRuleSet.MIN_SERIES) {
            state = PROVISIONAL;
        } else {
            state = CONFIRMED;
            int from = length == PlmRuleSet.MIN_SERIES ? 0 : memberOnsets.size() - 1;
            plmOnsets.addAll(memberOnsets.subList(from, memberOnsets.size()));
            plmStages.addAll(memberStages.subList(from, memberStages.size()));
            // once confirmed, only the newest member is needed (for the next IMI)
            memberOnsets.subList(0, memberOnsets.size() - 1).clear();
            memberStages.subList(0, memberStages.size() - 1).clear();
        }
        return new Step(imi, seriesId, state, length, plmStages, plmOnsets, brokenId, brokenState, brokenLen);
    }

    /** Members of the open series so far (confirmed series trim their member list), 0 when none. */
    public int length;

    private void clear() {
        seriesId = null;
        state = null;
        memberOnsets.clear();
        memberStages.clear();
        length = 0;
    }
}
