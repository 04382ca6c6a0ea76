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
 * epoch, leg-window and EMG assemblers. Pure and Kafka-free. Its state (docs/adr/0026-spine-chunk-ring-and-one-head-per-bed.md)
 * is one head value per bed (the sources plus a length-prefixed section per part: epochs, legs, EMG, each with its own
 * version, so that a corrupt part still starts afresh alone), plus the open windows' samples as chunks in a bounded
 * ring of keys per channel, each written once and later overwritten in place: a block writes one head record and the
 * chunks it filled, and what it writes grows with the block, not with the open window. A part a block did not touch
 * is written again from its last stored bytes (no re-serialisation).
 */
public final class BedSpine {
    private static final Logger LOG = LoggerFactory.getLogger(BedSpine.class);
    /** Version 2: the bed's one head (ADR 0026). Version 1 held the sources only, the parts in their own stores. */
    static final int STATE_VERSION = 2;
    private static final int LEGACY_SOURCES_VERSION = 1;
    static final int MAX_SOURCES = 64;

    /**
     * State parts. The head store (index {@link #SOURCES}) holds the bed's head with every part; the stores at the
     * other indices hold the parts of ADR 0017's layout, read on an upgrade and deleted by the first save after it.
     */
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
    /** The parts' bytes as last stored (index EPOCHS..EMG), reused in the head while a part is unchanged. */
    private final byte[][] stored = new byte[4][];
    /** Which stores of the older layout hold a value of this bed, to delete at the next save. */
    private final boolean[] legacy = new boolean[4];
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
     * What to store now: the bed's head if anything changed since the last save (the parts touched serialised
     * again, the others as last stored), the chunks that became full and, for a bed of the older layout, the
     * deletes of its old part values. Store all of it together, then call {@link StateWrites#applied()}; a spine
     * whose writes were not stored must be discarded (restore it from the stores).
     */
    public StateWrites changes() {
        StateWrites w = new StateWrites(4);
        List<Consumer<StateWrites>> gone = List.copyOf(retired);
        for (Consumer<StateWrites> r : gone) {
            r.accept(w);
        }
        boolean any = !gone.isEmpty();
        for (int p = 0; p < 4; p++) {
            any |= dirty[p] || legacy[p];
        }
        if (!any) {
            return w;
        }
        String key = chunkKey(bedId);
        byte[][] next = stored.clone();
        if (dirty[EPOCHS] || next[EPOCHS] == null) {
            next[EPOCHS] = epochs.toBytes(w, key + EPOCH_CHUNKS);
        }
        if (dirty[LEGS] || next[LEGS] == null) {
            next[LEGS] = legs.toBytes(w, key + LEG_CHUNKS);
        }
        if (dirty[EMG] || next[EMG] == null) {
            next[EMG] = emg.toBytes(w, key + EMG_CHUNKS);
        }
        w.part(SOURCES, headBytes(next));
        for (int p = EPOCHS; p <= EMG; p++) {
            if (legacy[p]) {
                w.deletePart(p);
            }
        }
        w.onApplied(() -> {
            retired.removeAll(gone);
            java.util.Arrays.fill(dirty, false);
            java.util.Arrays.fill(legacy, false);
            System.arraycopy(next, 0, stored, 0, 4);
        });
        return w;
    }

    private byte[] headBytes(byte[][] parts) {
        return StateBytes.of(out -> {
            out.writeByte(STATE_VERSION);
            out.writeLong(sessionStartMicros);
            out.writeInt(sources.size());
            for (SourceTracker t : sources.values()) {
                t.write(out);
            }
            for (int p = EPOCHS; p <= EMG; p++) {
                out.writeInt(parts[p].length);
                out.write(parts[p]);
            }
        });
    }

    /** The part sections of a head (index EPOCHS..EMG; SOURCES null), or null when it is a version-1 sources value. */
    static byte[][] sections(byte[] head) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(head));
        if (!skipSources(in)) {
            return null;
        }
        byte[][] parts = new byte[4][];
        for (int p = EPOCHS; p <= EMG; p++) {
            parts[p] = new byte[sectionLength(in, p)];
            in.readFully(parts[p]);
        }
        return parts;
    }

    private static int sectionLength(DataInputStream in, int part) throws IOException {
        int len = in.readInt();
        if (len < 1 || len > in.available()) {
            throw new IOException("bed state part " + part + " of " + len + " bytes (" + in.available() + " left)");
        }
        return len;
    }

    /** Reads a head up to its first part section; false when it is a version-1 sources value (nothing after it). */
    private static boolean skipSources(DataInputStream in) throws IOException {
        int v = in.readByte();
        if (v != STATE_VERSION) {
            if (v == LEGACY_SOURCES_VERSION) {
                return false;
            }
            throw new IOException("bed state version " + v + " (this build reads " + LEGACY_SOURCES_VERSION + " and "
                    + STATE_VERSION + ")");
        }
        in.readLong();
        int n = in.readInt();
        if (n < 0 || n > MAX_SOURCES) {
            throw new IOException(n + " sources");
        }
        for (int i = 0; i < n; i++) {
            SourceTracker.read(in);
        }
        return true;
    }

    /**
     * Open needle-EMG recordings in a stored bed, from its head (or, for a bed of the older layout, its EMG store
     * value {@code legacyEmg}), reading headers only (no chunks).
     */
    public static int openEmgRecordings(byte[] head, byte[] legacyEmg) throws IOException {
        if (head != null) {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(head));
            if (skipSources(in)) {
                for (int p = EPOCHS; p < EMG; p++) {
                    in.skipNBytes(sectionLength(in, p));
                }
                int len = sectionLength(in, EMG);
                return EmgSegmenter.openRecordings(java.util.Arrays.copyOfRange(head, head.length - in.available(),
                        head.length - in.available() + len));
            }
        }
        return legacyEmg == null ? 0 : EmgSegmenter.openRecordings(legacyEmg);
    }

    /**
     * Restores a bed from its stored values: {@code stores[SOURCES]} the head store's value, the others the older
     * layout's part stores' values (null = none), and its chunks. A corrupt part, one missing a chunk or one written
     * under other settings is logged and started afresh, so a bed never stops because of its own state. A part of an
     * older layout (ADR 0017's {@code #<chunk>} keys, or samples inline before it) is read and marked changed, so
     * that the next save rewrites it in the current layout and deletes what the older layout stored.
     */
    public static BedSpine restore(String bedId, SpineConfig config, byte[][] stores, ChunkReader chunks) {
        if (stores[SOURCES] == null) {
            return null;
        }
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(stores[SOURCES]));
            int version = in.readByte();
            if (version != STATE_VERSION && version != LEGACY_SOURCES_VERSION) {
                throw new IOException("unknown sources state version " + version);
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
            byte[][] parts = version == STATE_VERSION ? sections(stores[SOURCES]) : stores.clone();
            if (version == LEGACY_SOURCES_VERSION) {
                LOG.info("bed {}: state of ADR 0017's layout (a store per part) read; the next save writes one head "
                        + "(version {})", bedId, STATE_VERSION);
                for (int p = EPOCHS; p <= EMG; p++) {
                    s.legacy[p] = stores[p] != null;
                }
                s.dirty[SOURCES] = true;
            }
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
            for (int p = EPOCHS; p <= EMG; p++) {
                s.stored[p] = s.dirty[p] || version != STATE_VERSION ? null : parts[p];
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
