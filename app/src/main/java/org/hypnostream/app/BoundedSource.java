package org.hypnostream.app;

import java.util.Optional;
import org.hypnostream.common.wire.SampleBlock;
import org.hypnostream.ingest.source.AmplifierSource;

/** Ends a source after a fixed span of device time, so a timed demo or benchmark sends a known amount of data. */
final class BoundedSource implements AmplifierSource {
    private final AmplifierSource inner;
    private final long endMicros;
    private final long startOffsetMicros;
    private boolean ended;

    BoundedSource(AmplifierSource inner, long sessionStartMicros, long spanMicros) {
        this(inner, sessionStartMicros, spanMicros, 0);
    }

    /** As above, and the gateway starts this source {@code startOffsetMicros} of device time after its start. */
    BoundedSource(AmplifierSource inner, long sessionStartMicros, long spanMicros, long startOffsetMicros) {
        this.inner = inner;
        this.endMicros = sessionStartMicros + spanMicros;
        this.startOffsetMicros = startOffsetMicros;
    }

    @Override
    public long startOffsetMicros() {
        return startOffsetMicros;
    }

    @Override
    public String bedId() {
        return inner.bedId();
    }

    @Override
    public Optional<SampleBlock> next() {
        if (ended) {
            return Optional.empty();
        }
        Optional<SampleBlock> b = inner.next();
        // a source's blocks come in device-time order across its rate groups, so the first block that starts at or
        // after the end means every later one does too
        if (b.isPresent() && b.get().deviceTimeMicros() >= endMicros) {
            ended = true;
            return Optional.empty();
        }
        return b;
    }

    @Override
    public void close() {
        inner.close();
    }
}
