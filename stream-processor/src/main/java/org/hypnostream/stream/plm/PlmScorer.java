package org.hypnostream.stream.plm;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hypnostream.common.event.LegMovementEvent;
import org.hypnostream.common.event.LegSide;
import org.hypnostream.common.event.PlmEvent;
import org.hypnostream.common.event.Stage;
import org.hypnostream.common.event.StageEvent;
import org.hypnostream.common.time.Micros;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pure, Kafka-free PLM scoring of one bed: monolateral LMs in, bilateral merge and CLM classification, the
 * stage join (an LM waits until the stage of its onset epoch is known, or {@code stageWaitSeconds} of stream time),
 * the series state machine, counts and indices out as {@link PlmEvent}s. Respiratory exclusion is reported as
 * "unavailable": no respiratory events exist in this system yet.
 */
public final class PlmScorer {
    private static final Logger LOG = LoggerFactory.getLogger(PlmScorer.class);
    public static final String RESPIRATORY_UNAVAILABLE = "unavailable";

    private final PlmConfig cfg;

    public PlmScorer(PlmConfig cfg) {
        this.cfg = cfg;
    }

    PlmRuleSet rules(BedPlmState s) {
        return s.ruleSet == null ? cfg.ruleSet() : PlmRuleSet.parse(s.ruleSet);
    }

    /** A monolateral leg movement of this bed. */
    public List<PlmEvent> onLegEvent(BedPlmState s, LegMovementEvent e, Instant now) {
        if (e.side() == LegSide.BILATERAL) {
            throw new IllegalArgumentException("leg event " + e.movementId() + " of bed " + e.bedId()
                    + " is BILATERAL; leg-events.v1 carries monolateral movements only");
        }
        MonoLm m = new MonoLm(e.side(), Micros.of(e.onset()), Micros.of(e.offset()));
        if (s.recordingStartMicros == 0) {
            s.recordingStartMicros = m.onsetMicros();
        }
        long lastOffset = e.side() == LegSide.LEFT ? s.lastOffsetLeft : s.lastOffsetRight;
        if (m.onsetMicros() < lastOffset) {
            s.lateEvents++;
            LOG.warn("bed {}: leg event {} starts before the previous {} movement ended; scored as it comes",
                    e.bedId(), e.movementId(), e.side());
        }
        if (e.side() == LegSide.LEFT) {
            s.lastOffsetLeft = Math.max(s.lastOffsetLeft, m.offsetMicros());
        } else {
            s.lastOffsetRight = Math.max(s.lastOffsetRight, m.offsetMicros());
        }
        s.streamTimeMicros = Math.max(s.streamTimeMicros, m.offsetMicros());
        s.pending.add(m);
        return advance(s, e.bedId(), s.streamTimeMicros, now);
    }

    /** The stage of one epoch of this bed; returns the LMs it released and an INDICES update. */
    public List<PlmEvent> onStage(BedPlmState s, StageEvent e, Instant now) {
        long start = Micros.of(e.epochStart());
        long end = Micros.of(e.epochEnd());
        if (end <= start || e.epochIndex() < 0) {
            throw new IllegalArgumentException("stage event of bed " + e.bedId() + " epoch " + e.epochIndex()
                    + ": bad epoch index or times");
        }
        s.epochMicros = end - start;
        if (s.sessionStartMicros == null) {
            s.sessionStartMicros = start - e.epochIndex() * s.epochMicros;
            if (s.recordingStartMicros == 0 || s.recordingStartMicros > s.sessionStartMicros) {
                s.recordingStartMicros = s.sessionStartMicros;
            }
        }
        String prev = s.stages.put(e.epochIndex(), e.stage().name());
        PlmNight.mark(s, e.epochIndex(), e.stage());
        if (prev == null && e.epochIndex() > s.maxEpochSeen) {
            PlmNight.trackWakeRun(s, e.epochIndex(), e.stage());
        }
        if (prev != null) {
            count(s, Stage.valueOf(prev), -1);
            count(s, e.stage(), 1);
        } else {
            count(s, e.stage(), 1);
            if (e.epochIndex() > s.maxEpochSeen) {
                s.maxEpochSeen = e.epochIndex();
                if (e.stage().isSleep()) {
                    s.rollingSleepEpochs.add(e.epochIndex());
                    int window = windowEpochs(s);
                    if (s.rollingSleepEpochs.size() > window) {
                        s.rollingSleepEpochs.subList(0, s.rollingSleepEpochs.size() - window).clear();
                    }
                    long oldest = s.rollingSleepEpochs.get(0);
                    s.rollingPlmsEpochs.removeIf(x -> x < oldest);
                }
            }
        }
        s.streamTimeMicros = Math.max(s.streamTimeMicros, end);
        List<PlmEvent> out = advance(s, e.bedId(), s.streamTimeMicros, now);
        out.add(event(s, e.bedId(), "INDICES", now, null, null, null, null, null));
        return out;
    }

    /** Moves stream time on (e.g. a leg window's end) and releases whatever that allows. */
    public List<PlmEvent> advance(BedPlmState s, String bedId, long streamTimeMicros, Instant now) {
        s.streamTimeMicros = Math.max(s.streamTimeMicros, streamTimeMicros);
        long grace = cfg.bilateralGraceSeconds() * 1_000_000L;
        long floor = s.streamTimeMicros - grace;
        long watermark = Math.min(Math.max(s.lastOffsetLeft, floor), Math.max(s.lastOffsetRight, floor));
        BilateralMerger.Drain d = BilateralMerger.drain(s.pending, watermark, rules(s));
        s.pending = new ArrayList<>(d.pending());
        s.droppedShort += d.droppedShort();
        s.awaiting.addAll(d.finished());
        List<PlmEvent> out = new ArrayList<>();
        long wait = cfg.stageWaitSeconds() * 1_000_000L;
        while (!s.awaiting.isEmpty()) {
            Lm lm = s.awaiting.get(0);
            String stage = stageOf(s, lm.onsetMicros());
            if (stage == null && s.streamTimeMicros - lm.offsetMicros() <= wait) {
                break;
            }
            if (stage == null) {
                s.unstagedLms++;
            }
            s.awaiting.remove(0);
            out.addAll(score(s, bedId, lm, stage, now));
        }
        prune(s);
        return out;
    }

    /**
     * PLMS index over the rolling sleep window, NaN while it holds too little sleep. Only epochs of the study window
     * count (sleep before lights-off or after lights-on is not the study's TST).
     */
    public double rollingPlmsIndex(BedPlmState s) {
        int minEpochs = (int) Math.ceil(cfg.alarmMinSleepMinutes() * 60_000_000.0 / s.epochMicros);
        List<Long> sleep = s.rollingSleepEpochs.stream().filter(e -> PlmNight.inWindow(s, e)).toList();
        List<Long> plms = s.rollingPlmsEpochs.stream().filter(e -> PlmNight.inWindow(s, e)).toList();
        return PlmIndexCalculator.rollingPlmsIndex(sleep, plms, minEpochs, s.epochMicros / 1e6);
    }

    /** The PLMS index over which the finding is raised: the configured one, or the child reference for a child's study. */
    public double alarmThreshold(BedPlmState s) {
        return "CHILD".equals(s.population) ? Math.min(cfg.alarmPlmsIndex(), org.hypnostream.common.study.Population.CHILD
                .plmsIndexReference()) : cfg.alarmPlmsIndex();
    }

    /** A study mark of this bed: the study window, population and rule set follow the bed's current study. */
    public List<PlmEvent> onStudy(BedPlmState s, org.hypnostream.common.study.StudyEvent e, Instant now) {
        switch (e.type()) {
            case ADMITTED -> {
                s.studyId = e.studyId();
                s.population = e.admission().population().name();
                s.ruleSet = PlmRuleSet.parse(e.admission().ruleSet()).id();
                s.lightsOffMicros = null;
                s.lightsOnMicros = null;
            }
            case LIGHTS_OFF -> s.lightsOffMicros = mine(s, e) ? Micros.of(e.deviceTime()) : s.lightsOffMicros;
            case LIGHTS_ON -> s.lightsOnMicros = mine(s, e) ? Micros.of(e.deviceTime()) : s.lightsOnMicros;
            case AMENDED -> {
                if (mine(s, e) && e.amends() == org.hypnostream.common.study.StudyEventType.LIGHTS_OFF) {
                    s.lightsOffMicros = Micros.of(e.deviceTime());
                } else if (mine(s, e) && e.amends() == org.hypnostream.common.study.StudyEventType.LIGHTS_ON) {
                    s.lightsOnMicros = Micros.of(e.deviceTime());
                }
            }
            default -> { }
        }
        List<PlmEvent> out = new ArrayList<>();
        out.add(indices(s, e.bedId(), now));
        return out;
    }

    private static boolean mine(BedPlmState s, org.hypnostream.common.study.StudyEvent e) {
        return e.studyId().equals(s.studyId);
    }

    private List<PlmEvent> score(BedPlmState s, String bedId, Lm lm, String stage, Instant now) {
        PlmRuleSet rules = rules(s);
        s.lmCount++;
        if (lm.candidate()) {
            s.clmCount++;
        }
        PlmSeriesTracker.Step st = s.tracker.accept(bedId, lm, stage, rules,
                rules.longWakeBridgesSeries() ? PlmNight.longWakeSeconds(s, s.tracker.lastMemberOnset(), lm.onsetMicros()) : 0.0);
        if (st.imiSeconds() != null) {
            int bin = PlmIndexCalculator.imiBin(st.imiSeconds());
            s.imiHistogram.set(bin, s.imiHistogram.get(bin) + 1);
        }
        for (int i = 0; i < st.plmStages().size(); i++) {
            String ps = st.plmStages().get(i);
            s.plmCount++;
            if (ps != null && Stage.valueOf(ps).isSleep()) {
                s.plmsCount++;
                s.plmsOnsets.add(st.plmOnsets().get(i));
                Long ep = PlmNight.epochOf(s, st.plmOnsets().get(i));
                if (ep != null && !s.rollingSleepEpochs.isEmpty() && ep >= s.rollingSleepEpochs.get(0)) {
                    s.rollingPlmsEpochs.add(ep);
                }
            } else if (Stage.W.name().equals(ps)) {
                s.plmwCount++;
                s.plmwOnsets.add(st.plmOnsets().get(i));
            }
        }
        List<PlmEvent> out = new ArrayList<>();
        if (st.brokenSeriesId() != null) {
            out.add(event(s, bedId, "SERIES", now, null, st.brokenSeriesId(), PlmSeriesTracker.BROKEN,
                    st.brokenLength(), null));
        }
        boolean inSleep = stage != null && Stage.valueOf(stage).isSleep();
        out.add(event(s, bedId, "LM", now, lm, st.seriesId(), st.state(), st.length(), inSleep));
        return out;
    }

    /** An INDICES update now (e.g. after a lights-off or lights-on mark moved the study window). */
    public PlmEvent indices(BedPlmState s, String bedId, Instant now) {
        return event(s, bedId, "INDICES", now, null, null, null, null, null);
    }

    /**
     * Sleep and wake hours, PLMS and PLMW counts within the study window (epochs whose midpoint lies in [lights-off,
     * lights-on); lights-off not marked = from the first epoch), so that the indices use the statistics' TST.
     */
    private PlmEvent event(BedPlmState s, String bedId, String kind, Instant now, Lm lm, String seriesId,
            String seriesState, Integer length, Boolean inSleep) {
        double epochH = s.epochMicros / 3.6e9;
        long sleepEpochs = 0;
        long wakeEpochs = 0;
        for (int i = 0; i < s.night.length(); i++) {
            if (PlmNight.inWindow(s, (long) i)) {
                char c = s.night.charAt(i);
                sleepEpochs += c == 'S' ? 1 : 0;
                wakeEpochs += c == 'W' ? 1 : 0;
            }
        }
        long plms = s.plmsOnsets.stream().filter(o -> PlmNight.inWindow(s, PlmNight.epochOf(s, o))).count();
        long plmw = s.plmwOnsets.stream().filter(o -> PlmNight.inWindow(s, PlmNight.epochOf(s, o))).count();
        double sleepH = sleepEpochs * epochH;
        double wakeH = wakeEpochs * epochH;
        double recH = s.recordingStartMicros == 0 ? 0 : Math.max(0, s.streamTimeMicros - s.recordingStartMicros) / 3.6e9;
        PlmIndexCalculator.Indices ix = PlmIndexCalculator.compute(s.lmCount, s.clmCount, s.plmCount, plms, plmw, sleepH,
                wakeH, recH);
        return new PlmEvent(bedId, kind, rules(s).id(), now,
                lm == null ? null : Micros.toInstant(lm.onsetMicros()),
                lm == null ? null : Micros.toInstant(lm.offsetMicros()),
                lm == null ? null : lm.side(), lm != null && lm.candidate(), inSleep != null && inSleep,
                seriesId, seriesState, length == null ? 0 : length, s.lmCount, s.plmCount, plms, plmw,
                sleepH, wakeH, recH, ix.lmIndex(), ix.plmsIndex(), ix.plmwIndex(), ix.periodicityIndex(),
                s.imiHistogram, RESPIRATORY_UNAVAILABLE);
    }

    private static void count(BedPlmState s, Stage st, int d) {
        if (st.isSleep()) {
            s.sleepEpochs += d;
        } else if (st == Stage.W) {
            s.wakeEpochs += d;
        }
    }

    private int windowEpochs(BedPlmState s) {
        return (int) Math.max(1, Math.round(cfg.alarmWindowMinutes() * 60_000_000.0 / s.epochMicros));
    }

    private static String stageOf(BedPlmState s, long micros) {
        Long ep = PlmNight.epochOf(s, micros);
        return ep == null ? null : s.stages.get(ep);
    }

    private static void prune(BedPlmState s) {
        long keepFrom = s.awaiting.isEmpty() ? s.maxEpochSeen - 2 : epochOrMax(s, s.awaiting.get(0).onsetMicros()) - 1;
        s.stages.headMap(keepFrom).clear();
    }

    private static long epochOrMax(BedPlmState s, long micros) {
        Long ep = PlmNight.epochOf(s, micros);
        return ep == null ? Long.MIN_VALUE + 1 : ep;
    }
}
