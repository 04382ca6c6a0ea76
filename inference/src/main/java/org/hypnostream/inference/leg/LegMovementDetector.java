package org.hypnostream.inference.leg;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.hypnostream.common.event.LegMovementEvent;
import org.hypnostream.common.event.LegSide;
import org.hypnostream.common.event.Provenance;
import org.hypnostream.common.time.Micros;
import org.hypnostream.common.wire.LegWindow;
import org.hypnostream.common.wire.QualityFlag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WASM 2016 / AASM rule-based monolateral leg-movement detector, served like a model: input two legs of
 * {@link LegWindow#SAMPLES} samples, output movements (onset, offset, side) with {@code Provenance.rules(id)}.
 *
 * <p>Pure and causal. The per-bed {@link State} remembers the next global sample index to process, so the
 * overlapping part of a window (hop shorter than the window) is skipped and each movement is emitted exactly once,
 * when its offset is known, with its true onset and offset even when it spans window boundaries. A window that
 * starts after the next expected sample is a gap: open movements end there flagged GAP and the filters restart.
 * A leg whose channel is flat, saturated or disconnected over a window's new samples yields no movements (its open
 * movement is discarded and counted) and a non-OK {@link LegChannelStatus} for a technical alarm instead.
 */
public final class LegMovementDetector {
    private static final Logger LOG = LoggerFactory.getLogger(LegMovementDetector.class);

    private final LegRules rules;
    private final Provenance provenance;

    public LegMovementDetector(LegRules rules) {
        this.rules = Objects.requireNonNull(rules, "rules");
        this.provenance = Provenance.rules(rules.ruleSetId());
    }

    public LegRules rules() {
        return rules;
    }

    public Provenance provenance() {
        return provenance;
    }

    /** Fresh per-bed state; one per bed, windows of that bed given in index order. */
    public State newState() {
        return new State();
    }

    /** The movements finished by this window (each exactly once over the windows of a bed). */
    public List<LegMovementEvent> process(State s, LegWindow w, Instant now) {
        return detect(s, w, now).movements();
    }

    /** Movements plus the channel status of each leg over the window's new samples. */
    public LegDetection detect(State s, LegWindow w, Instant now) {
        s.configure(w, rules);
        long windowStart = w.index() * (long) w.hopSamples();
        long windowEnd = windowStart + LegWindow.SAMPLES;
        if (windowEnd <= s.nextSample) {
            LOG.debug("bed {} leg window {} brings no new samples (next {}), skipped", w.bedId(), w.index(), s.nextSample);
            return new LegDetection(List.of(), null, null);
        }
        List<LegTrack.Movement> found = new ArrayList<>();
        if (s.nextSample >= 0 && windowStart > s.nextSample) {
            LOG.warn("bed {} leg window {}: gap of {} samples before it, open movements end at the gap", w.bedId(),
                    w.index(), windowStart - s.nextSample);
            addIfPresent(found, s.left.interrupt(s.nextSample));
            addIfPresent(found, s.right.interrupt(s.nextSample));
            s.nextSample = windowStart;
        }
        if (s.nextSample < 0) {
            s.nextSample = windowStart;
        }
        int from = (int) (s.nextSample - windowStart);
        LegChannelStatus ls = LegChannelStatus.assess(LegSide.LEFT, w.left(), from, LegWindow.SAMPLES,
                w.sampleRateHz(), w.leftQuality(), s.nextSample);
        LegChannelStatus rs = LegChannelStatus.assess(LegSide.RIGHT, w.right(), from, LegWindow.SAMPLES,
                w.sampleRateHz(), w.rightQuality(), s.nextSample);
        run(s.left, ls, w.left(), from, windowStart, found, w);
        run(s.right, rs, w.right(), from, windowStart, found, w);
        s.nextSample = windowEnd;
        s.lastLeft = ls;
        s.lastRight = rs;
        found.sort(Comparator.comparingLong(LegTrack.Movement::onsetSample));
        List<LegMovementEvent> events = new ArrayList<>(found.size());
        for (LegTrack.Movement m : found) {
            events.add(toEvent(w, m, now));
        }
        return new LegDetection(events, ls, rs);
    }

    private static void run(LegTrack t, LegChannelStatus status, float[] x, int from, long windowStart,
            List<LegTrack.Movement> out, LegWindow w) {
        if (status.blocksDetection()) {
            if (t.active()) {
                LOG.warn("bed {} leg window {}: {} channel {} ({}), open movement discarded", w.bedId(), w.index(),
                        status.side(), status.condition(), status.detail());
            }
            t.suspend();
            return;
        }
        for (int i = from; i < x.length; i++) {
            addIfPresent(out, t.step(windowStart + i, x[i]));
        }
    }

    private static void addIfPresent(List<LegTrack.Movement> out, LegTrack.Movement m) {
        if (m != null) {
            out.add(m);
        }
    }

    private LegMovementEvent toEvent(LegWindow w, LegTrack.Movement m, Instant now) {
        double rate = w.sampleRateHz();
        long onsetMicros = w.sessionStartMicros() + Math.round(m.onsetSample() * 1_000_000.0 / rate);
        long offsetMicros = w.sessionStartMicros() + Math.round(m.offsetSample() * 1_000_000.0 / rate);
        Set<QualityFlag> q = EnumSet.noneOf(QualityFlag.class);
        q.addAll(m.side() == LegSide.LEFT ? w.leftQuality() : w.rightQuality());
        if (m.gap()) {
            q.add(QualityFlag.GAP);
        }
        long ref = w.lastBlockReceiveMicros() > 0 ? w.lastBlockReceiveMicros() : offsetMicros;
        long latency = Math.max(0, (Micros.of(now) - ref) / 1000);
        String id = w.bedId() + ":" + m.side() + ":" + m.onsetSample();
        return new LegMovementEvent(w.bedId(), id, m.side(), Micros.toInstant(onsetMicros),
                Micros.toInstant(offsetMicros), (m.offsetSample() - m.onsetSample()) / rate, m.peakUv(), q,
                provenance, now, latency);
    }

    /** Per-bed detector state: both legs' tracks and the next global sample index to process. */
    public static final class State {
        private LegTrack left;
        private LegTrack right;
        private long nextSample = -1;
        private double rateHz;
        private int hop;
        private long sessionStartMicros;
        private LegChannelStatus lastLeft;
        private LegChannelStatus lastRight;

        State() {
        }

        private void configure(LegWindow w, LegRules rules) {
            if (left != null && rateHz == w.sampleRateHz() && hop == w.hopSamples()
                    && sessionStartMicros == w.sessionStartMicros()) {
                return;
            }
            if (left != null) {
                LOG.warn("bed {} leg window {}: rate, hop or session start changed, detector state restarted",
                        w.bedId(), w.index());
            }
            rateHz = w.sampleRateHz();
            hop = w.hopSamples();
            sessionStartMicros = w.sessionStartMicros();
            left = new LegTrack(LegSide.LEFT, rules, rateHz);
            right = new LegTrack(LegSide.RIGHT, rules, rateHz);
            nextSample = -1;
        }

        /** Next global sample index (since session start) the detector expects, -1 before the first window. */
        public long nextSample() {
            return nextSample;
        }

        /** Resting baseline (µV of envelope) of a leg, NaN while it warms up. */
        public double baselineUv(LegSide side) {
            LegTrack t = side == LegSide.LEFT ? left : right;
            return t == null ? Double.NaN : t.baselineUv();
        }

        /** Candidate movements rejected as too short (< minimum duration), both legs. */
        public long rejectedShort() {
            return left == null ? 0 : left.rejectedShort + right.rejectedShort;
        }

        /** Candidate movements rejected by the morphology criterion, both legs. */
        public long rejectedMorphology() {
            return left == null ? 0 : left.rejectedMorphology + right.rejectedMorphology;
        }

        /** Open movements discarded because their channel became unusable. */
        public long discarded() {
            return left == null ? 0 : left.discarded + right.discarded;
        }

        public LegChannelStatus lastStatus(LegSide side) {
            return side == LegSide.LEFT ? lastLeft : lastRight;
        }
    }
}
