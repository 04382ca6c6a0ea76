package org.hypnostream.stream;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.hypnostream.common.wire.SampleBlock;
import org.hypnostream.stream.emg.EmgSegmenter;
import org.hypnostream.stream.epoch.EpochAssembler;
import org.hypnostream.stream.legs.LegWindowAssembler;
import org.hypnostream.stream.signal.ChunkReader;
import org.hypnostream.stream.signal.StateBytes;
import org.hypnostream.stream.signal.StateWrites;
import org.hypnostream.stream.signal.Admission;
import org.hypnostream.stream.signal.SourceTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the spine knows about one bed: the source policy (docs/adr/0004-gaps-duplicates-order.md) and the
 * epoch, leg-window and EMG assemblers. Pure and Kafka-free. Its state (docs/adr/0017-spine-state-layout.md) is four
 * small head values (sources, epochs, legs, EMG), so that a block only rewrites the parts it touched, plus the open
 * windows' samples as immutable chunks under their own keys, each written once: what a block writes grows with the
 * block, not with the open window.
 */
public final class BedSpine {
    private static final Logger LOG = LoggerFactory.getLogger(BedSpine.class);
    private static final int STATE_VERSION = 1;
    static final int MAX_SOURCES = 64;

    /** State parts, in the order of {@link #state()}. */
    public static final int SOURCES = 0;
    public static final int EPOCHS = 1;
    public static final int LEGS = 2;
    public static final int EMG = 3;

    private static final String EPOCH_CHUNKS = "e";
    private static final String LEG_CHUNKS = "l";
    private static final String EMG_CHUNKS = "m";

    /** Prefix of every chunk key of a bed: its length, ':', the bed id, '/' (unambiguous for any bed id). */
    static String chunkKey(String bedId) {
        return bedId.length() + ":" + bedId + "/";
    }

    private final String bedId;
    private final SpineConfig config;
    private long sessionStartMicros;
    private final Map<String, SourceTracker> sources = new LinkedHashMap<>();
    private EpochAssembler epochs;
    private LegWindowAssembler legs;
    private EmgSegmenter emg;
    private final boolean[] dirty = new boolean[4];
    /** Chunk deletes of assemblers replaced by a new session, for the next save. */
    private final List<Consumer<StateWrites>> retired = new ArrayList<>();

    public BedSpine(String bedId, long sessionStartMicros, SpineConfig config) {
        this.bedId = bedId;
        this.config = config;
        reset(sessionStartMicros);
    }

    private void reset(long sessionStart) {
        if (epochs != null) {
            EpochAssembler e = epochs;
            LegWindowAssembler l = legs;
            EmgSegmenter m = emg;
            String key = chunkKey(bedId);
            retired.add(w -> {
                e.release(w, key + EPOCH_CHUNKS);
                l.release(w, key + LEG_CHUNKS);
                m.release(w, key + EMG_CHUNKS);
            });
        }
        sessionStartMicros = sessionStart;
        sources.clear();
        epochs = new EpochAssembler(bedId, sessionStart, config);
        legs = new LegWindowAssembler(bedId, sessionStart, config);
        emg = new EmgSegmenter(bedId, sessionStart, config);
        java.util.Arrays.fill(dirty, true);
    }

    public long sessionStartMicros() {
        return sessionStartMicros;
    }

    public EpochAssembler epochs() {
        return epochs;
    }

    public LegWindowAssembler legs() {
        return legs;
    }

    /** As {@link #accept(SampleBlock, long)} with the block's receive time as the processing time. */
    public SpineResult accept(SampleBlock b) {
        return accept(b, b.receiveTimeMicros());
    }

    /**
     * Applies one decoded block of this bed. Never throws for bad data: it returns a rejection instead.
     *
     * @param nowMicros processor wall-clock time (remembered per needle-EMG recording for {@link #closeIdleEmg})
     */
    public SpineResult accept(SampleBlock b, long nowMicros) {
        if (!b.bedId().equals(bedId)) {
            return SpineResult.of(Admission.reject("bed", "block " + b.seq() + " from " + b.sourceId() + " is for bed "
                    + b.bedId() + ", not " + bedId));
        }
        SpineResult flushed = SpineResult.EMPTY;
        if (b.sessionStartMicros() != sessionStartMicros) {
            if (b.sessionStartMicros() < sessionStartMicros) {
                return SpineResult.of(Admission.reject("session", "block " + b.seq() + " from " + b.sourceId() + " of bed "
                        + bedId + ": session start " + b.sessionStartMicros() + " us is older than the current session "
                        + sessionStartMicros + " us"));
            }
            LOG.info("bed {}: new session starting {} us (was {} us); flushing the old session's windows", bedId,
                    b.sessionStartMicros(), sessionStartMicros);
            flushed = flush();
            reset(b.sessionStartMicros());
        }
        SourceTracker tracker = sources.get(b.sourceId());
        Admission a;
        if (tracker == null) {
            if (sources.size() >= MAX_SOURCES) {
                return flushed.plus(SpineResult.of(Admission.reject("sources", "block " + b.seq() + " from " + b.sourceId()
                        + " of bed " + bedId + ": more than " + MAX_SOURCES + " sources on one bed")));
            }
            a = SourceTracker.first(b);
            if (a.kind() == Admission.Kind.ACCEPT) {
                sources.put(b.sourceId(), SourceTracker.start(b, a.position()));
            }
        } else {
            a = tracker.admit(b, config.clockJumpToleranceMicros());
        }
        if (a.kind() != Admission.Kind.ACCEPT) {
            return flushed.plus(SpineResult.of(a));
        }
        dirty[SOURCES] = true;
        List<org.hypnostream.common.wire.Epoch> e = epochs.accept(b, a.position(), a.clockJump());
        List<org.hypnostream.common.wire.LegWindow> l = legs.accept(b, a.position(), a.clockJump());
        List<org.hypnostream.common.wire.EmgSegment> s = emg.accept(b, a.position(), a.clockJump(), nowMicros);
        dirty[EPOCHS] |= e != null;
        dirty[LEGS] |= l != null;
        dirty[EMG] |= s != null;
        return flushed.plus(new SpineResult(e == null ? List.of() : e, l == null ? List.of() : l,
                s == null ? List.of() : s, false, null));
    }

    /** Emits every open window, incomplete ones marked PARTIAL (end of a session). */
    public SpineResult flush() {
        java.util.Arrays.fill(dirty, true);
        return new SpineResult(epochs.flush(), legs.flush(), emg.flush(), false, null);
    }

    /**
     * Closes the needle-EMG recordings of this bed idle for {@code idleMicros} (see {@link EmgSegmenter}); returns
     * their closing segments (empty when none).
     */
    public List<org.hypnostream.common.wire.EmgSegment> closeIdleEmg(long nowMicros, long idleMicros) {
        if (emg.openRecordings() == 0) {
            return List.of();
        }
        List<org.hypnostream.common.wire.EmgSegment> out = emg.closeIdle(nowMicros, idleMicros);
        dirty[EMG] |= !out.isEmpty();
        return out;
    }

    /** How many needle-EMG recordings of this bed are open (not yet closed by a session end or by idling). */
    public int openEmgRecordings() {
        return emg.openRecordings();
    }

    /** Whether a state part changed since this spine was created, restored or last saved. */
    public boolean dirty(int part) {
        return dirty[part];
    }

    /**
     * What to store now: the head of every part changed since the last save, the chunks that became full and the
     * deletes of chunks no longer needed. Store all of it together, then call {@link StateWrites#applied()}; a
     * spine whose writes were not stored must be discarded (restore it from the stores).
     */
    public StateWrites changes() {
        StateWrites w = new StateWrites(4);
        List<Consumer<StateWrites>> gone = List.copyOf(retired);
        for (Consumer<StateWrites> r : gone) {
            r.accept(w);
        }
        String key = chunkKey(bedId);
        if (dirty[SOURCES]) {
            w.part(SOURCES, sourcesBytes());
        }
        if (dirty[EPOCHS]) {
            w.part(EPOCHS, epochs.toBytes(w, key + EPOCH_CHUNKS));
        }
        if (dirty[LEGS]) {
            w.part(LEGS, legs.toBytes(w, key + LEG_CHUNKS));
        }
        if (dirty[EMG]) {
            w.part(EMG, emg.toBytes(w, key + EMG_CHUNKS));
        }
        w.onApplied(() -> {
            retired.removeAll(gone);
            java.util.Arrays.fill(dirty, false);
        });
        return w;
    }

    private byte[] sourcesBytes() {
        return StateBytes.of(out -> {
            out.writeByte(STATE_VERSION);
            out.writeLong(sessionStartMicros);
            out.writeInt(sources.size());
            for (SourceTracker t : sources.values()) {
                t.write(out);
            }
        });
    }

    /**
     * Restores a bed from its stored parts (null = none) and chunks. A corrupt part, one missing a chunk or one
     * written under other settings is logged and started afresh, so a bed never stops because of its own state. A
     * part of an older layout (samples inline, before ADR 0017) is read and marked changed, so that the next save
     * rewrites it in the current layout.
     */
    public static BedSpine restore(String bedId, SpineConfig config, byte[][] parts, ChunkReader chunks) {
        if (parts[SOURCES] == null) {
            return null;
        }
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(parts[SOURCES]));
            if (in.readByte() != STATE_VERSION) {
                throw new IOException("unknown sources state version");
            }
            BedSpine s = new BedSpine(bedId, in.readLong(), config);
            int n = in.readInt();
            if (n < 0 || n > MAX_SOURCES) {
                throw new IOException(n + " sources");
            }
            for (int i = 0; i < n; i++) {
                SourceTracker t = SourceTracker.read(in);
                s.sources.put(t.sourceId(), t);
            }
            java.util.Arrays.fill(s.dirty, false);
            long start = s.sessionStartMicros;
            String key = chunkKey(bedId);
            try {
                if (parts[EPOCHS] != null) {
                    s.epochs = EpochAssembler.fromBytes(bedId, start, config, parts[EPOCHS], chunks, key + EPOCH_CHUNKS);
                    s.dirty[EPOCHS] = migrated(bedId, "epoch", parts[EPOCHS], EpochAssembler.STATE_VERSION);
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("bed {}: epoch state unusable ({}); epochs start afresh", bedId, e.getMessage());
                s.dirty[EPOCHS] = true;
            }
            try {
                if (parts[LEGS] != null) {
                    s.legs = LegWindowAssembler.fromBytes(bedId, start, config, parts[LEGS], chunks, key + LEG_CHUNKS);
                    s.dirty[LEGS] = migrated(bedId, "leg", parts[LEGS], LegWindowAssembler.STATE_VERSION);
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("bed {}: leg state unusable ({}); leg windows start afresh", bedId, e.getMessage());
                s.dirty[LEGS] = true;
            }
            try {
                if (parts[EMG] != null) {
                    s.emg = EmgSegmenter.fromBytes(bedId, start, config, parts[EMG], chunks, key + EMG_CHUNKS);
                    s.dirty[EMG] = migrated(bedId, "EMG", parts[EMG], EmgSegmenter.STATE_VERSION);
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("bed {}: EMG state unusable ({}); EMG segments start afresh", bedId, e.getMessage());
                s.dirty[EMG] = true;
            }
            return s;
        } catch (IOException | RuntimeException e) {
            LOG.warn("bed {}: source state unusable ({}); the bed starts afresh", bedId, e.getMessage());
            return null;
        }
    }

    private static boolean migrated(String bedId, String part, byte[] state, int current) {
        if (state[0] == current) {
            return false;
        }
        LOG.info("bed {}: {} state of layout version {} read; the next save rewrites it as version {}", bedId, part,
                state[0], current);
        return true;
    }
}
