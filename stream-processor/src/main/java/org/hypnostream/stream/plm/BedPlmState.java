package org.hypnostream.stream.plm;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The PLM scoring state of one bed (state store {@code plm-bed-state}, binary by {@link PlmStateCodec}, which also
 * reads the JSON of earlier builds: every field must be in the codec; public fields for the JSON mapper). Times are
 * UTC microseconds.
 */
public final class BedPlmState {
    /** Rule set id of this bed (from beds.v1), null = the configured default. */
    public String ruleSet;
    /** Monolateral LMs not yet grouped (the other leg may still join). */
    public List<MonoLm> pending = new ArrayList<>();
    /** Grouped and classified LMs waiting for the stage of their onset epoch, onset order. */
    public List<Lm> awaiting = new ArrayList<>();
    public long lastOffsetLeft = Long.MIN_VALUE;
    public long lastOffsetRight = Long.MIN_VALUE;
    public long streamTimeMicros;
    public long recordingStartMicros;
    /** Session start derived from stage events (epoch n starts at sessionStart + n epochs); null until known. */
    public Long sessionStartMicros;
    public long epochMicros = 30_000_000L;
    public long maxEpochSeen = -1;
    /** Recent epochs' stages by epoch index (pruned). */
    public TreeMap<Long, String> stages = new TreeMap<>();
    public long sleepEpochs;
    public long wakeEpochs;
    /** Last sleep epochs (rolling alarm window) and onset epochs of PLMs in sleep within it. */
    public List<Long> rollingSleepEpochs = new ArrayList<>();
    public List<Long> rollingPlmsEpochs = new ArrayList<>();
    public long lmCount;
    public long clmCount;
    public long plmCount;
    public long plmsCount;
    public long plmwCount;
    public List<Long> imiHistogram = PlmIndexCalculator.emptyHistogram();
    public PlmSeriesTracker tracker = new PlmSeriesTracker();
    /** Wake runs longer than 90 s, start epoch -> end epoch (exclusive), recent ones only (AASM series rule). */
    public TreeMap<Long, Long> longWakeRuns = new TreeMap<>();
    /** First epoch of the wake run the newest staged epoch belongs to, -1 when that epoch is not wake. */
    public long wakeRunStart = -1;
    /**
     * The bed's current study (study-events.v1): its id, population (ADULT/CHILD: the PLMS finding's threshold) and
     * lights-off / lights-on (UTC microseconds, as last amended; null = not marked). The indices count only the
     * epochs of the study window, as {@code SleepStatistics} does (lights-off not marked = from the first epoch).
     */
    public String studyId;
    public String population;
    public Long lightsOffMicros;
    public Long lightsOnMicros;
    /** Every epoch's class so far, one character per epoch index: '.' not yet staged, 'W', 'S' (sleep), '?' unscored. */
    public String night = "";
    /** Onsets (UTC microseconds) of the PLMs scored in sleep and in wake (their epoch decides the study window). */
    public List<Long> plmsOnsets = new ArrayList<>();
    public List<Long> plmwOnsets = new ArrayList<>();
    public long droppedShort;
    public long lateEvents;
    public long unstagedLms;
}
