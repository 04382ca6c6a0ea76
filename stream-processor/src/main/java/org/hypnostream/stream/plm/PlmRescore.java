package org.hypnostream.stream.plm;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hypnostream.common.event.LegMovementEvent;
import org.hypnostream.common.event.PlmEvent;
import org.hypnostream.common.event.StageEvent;
import org.hypnostream.common.study.LegMark;
import org.hypnostream.common.study.StudyEvent;
import org.hypnostream.common.time.Micros;

/**
 * Scores a whole night again with the live scorer ({@link PlmScorer}, not a copy of its rules): the study's marks,
 * then stage events and monolateral leg movements fed in device-time order (a stage at its epoch's end, a movement
 * at its offset; stage first on a tie), as the topology would have seen them, then stream time moved past every
 * wait. Used by the morning review to recompute LMs, PLM series and indices from a corrected night. Pure.
 */
public final class PlmRescore {
    private PlmRescore() {
    }

    /**
     * The night's PLM scoring.
     *
     * @param lms     every scored (bilateral-merged) LM, in onset order, with its series as finally known
     * @param indices the final INDICES event (counts, PLMS/PLMW/LM indices, periodicity, IMI histogram, rule set)
     */
    public record Result(List<PlmEvent> lms, Map<String, Integer> seriesLength, PlmEvent indices) {
        public Result {
            lms = List.copyOf(lms);
            seriesLength = Map.copyOf(seriesLength);
        }

        /** The LMs as the sleep statistics take them: onset and whether its series was confirmed (>= 4 members). */
        public List<LegMark> legMarks() {
            List<LegMark> out = new ArrayList<>(lms.size());
            for (PlmEvent p : lms) {
                out.add(new LegMark(p.lmOnset(), p.seriesId() != null
                        && seriesLength.getOrDefault(p.seriesId(), 0) >= PlmRuleSet.MIN_SERIES));
            }
            return out;
        }
    }

    public static Result rescore(String bedId, List<StudyEvent> studyMarks, List<StageEvent> stages,
            List<LegMovementEvent> legs, PlmConfig cfg, Instant now) {
        PlmScorer scorer = new PlmScorer(cfg);
        BedPlmState s = new BedPlmState();
        List<PlmEvent> out = new ArrayList<>();
        for (StudyEvent m : studyMarks) {
            out.addAll(scorer.onStudy(s, m, now));
        }
        record Step(long atMicros, int order, Object event) {
        }
        List<Step> steps = new ArrayList<>();
        stages.forEach(e -> steps.add(new Step(Micros.of(e.epochEnd()), 0, e)));
        legs.forEach(e -> steps.add(new Step(Micros.of(e.offset()), 1, e)));
        steps.sort(Comparator.comparingLong(Step::atMicros).thenComparingInt(Step::order));
        long end = 0;
        for (Step st : steps) {
            end = Math.max(end, st.atMicros());
            if (st.event() instanceof StageEvent e) {
                out.addAll(scorer.onStage(s, e, now));
            } else {
                out.addAll(scorer.onLegEvent(s, (LegMovementEvent) st.event(), now));
            }
        }
        long flush = end + (cfg.bilateralGraceSeconds() + cfg.stageWaitSeconds() + 1) * 1_000_000L;
        out.addAll(scorer.advance(s, bedId, flush, now));
        s.streamTimeMicros = end; // the flush released what waited; the recording still ends with its last event
        List<PlmEvent> lms = new ArrayList<>();
        Map<String, Integer> length = new HashMap<>();
        for (PlmEvent p : out) {
            if ("LM".equals(p.kind())) {
                lms.add(p);
            }
            if (p.seriesId() != null) {
                length.merge(p.seriesId(), p.seriesLength(), Math::max);
            }
        }
        lms.sort(Comparator.comparing(PlmEvent::lmOnset));
        return new Result(lms, length, scorer.indices(s, bedId, now));
    }
}
