package org.hypnostream.stream;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hypnostream.common.wire.SampleBlock;
import org.hypnostream.stream.emg.EmgSegmenter;
import org.hypnostream.stream.epoch.EpochAssembler;
import org.hypnostream.stream.legs.LegWindowAssembler;
import org.hypnostream.stream.signal.StateBytes;
import org.hypnostream.stream.signal.Admission;
import org.hypnostream.stream.signal.SourceTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the spine knows about one bed: the source policy (docs/adr/0004-gaps-duplicates-order.md) and the
 * epoch, leg-window and EMG assemblers. Pure and Kafka-free; its state is four byte arrays (sources, epochs, legs,
 * EMG) so that a block only rewrites the parts it touched.
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

    private final String bedId;
    private final SpineConfig config;
    private long sessionStartMicros;
    private final Map<String, SourceTracker> sources = new LinkedHashMap<>();
    private EpochAssembler epochs;
    private LegWindowAssembler legs;
    private EmgSegmenter emg;
    private final boolean[] dirty = new boolean[4];

    public BedSpine(String bedId, long sessionStartMicros, SpineConfig config) {
        this.bedId = bedId;
        this.config = config;
        reset(sessionStartMicros);
    }

    private void reset(long sessionStart) {
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

    /** Whether a state part changed since this spine was created or restored. */
    public boolean dirty(int part) {
        return dirty[part];
    }

    /** Marks every part as saved. */
    public void markSaved() {
        java.util.Arrays.fill(dirty, false);
    }

    /** The four state parts (sources, epochs, legs, EMG). */
    public byte[] state(int part) {
        return switch (part) {
            case SOURCES -> sourcesBytes();
            case EPOCHS -> epochs.toBytes();
            case LEGS -> legs.toBytes();
            case EMG -> emg.toBytes();
            default -> throw new IllegalArgumentException("no state part " + part);
        };
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
     * Restores a bed from its stored parts (null = none). A corrupt part or one written under other settings is
     * logged and started afresh, so a bed never stops because of its own state.
     */
    public static BedSpine restore(String bedId, SpineConfig config, byte[][] parts) {
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
            try {
                if (parts[EPOCHS] != null) {
                    s.epochs = EpochAssembler.fromBytes(bedId, start, config, parts[EPOCHS]);
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("bed {}: epoch state unusable ({}); epochs start afresh", bedId, e.getMessage());
                s.dirty[EPOCHS] = true;
            }
            try {
                if (parts[LEGS] != null) {
                    s.legs = LegWindowAssembler.fromBytes(bedId, start, config, parts[LEGS]);
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("bed {}: leg state unusable ({}); leg windows start afresh", bedId, e.getMessage());
                s.dirty[LEGS] = true;
            }
            try {
                if (parts[EMG] != null) {
                    s.emg = EmgSegmenter.fromBytes(bedId, start, config, parts[EMG]);
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
}
