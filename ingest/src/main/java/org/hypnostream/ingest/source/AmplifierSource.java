package org.hypnostream.ingest.source;

import java.util.Optional;
import org.hypnostream.common.wire.SampleBlock;

/**
 * One bed's amplifier as the gateway sees it: blocks of about one second, in device-time order. A bed whose montage
 * mixes sample rates emits one source id per rate (e.g. "bed-1/256hz", "bed-1/200hz"), each numbered gap-free
 * from 0; the blocks of the different source ids are interleaved by device time. {@code receiveTimeMicros} of the
 * blocks is 0: the gateway sets it when it journals the block.
 */
public interface AmplifierSource extends AutoCloseable {
    String bedId();

    /**
     * Device microseconds the gateway waits, from its own start, before it journals this source's first block (then
     * scaled by the pacing like every device-time offset; ignored when unpaced). 0 for a live amplifier; a demo or a
     * benchmark staggers its beds with it so that their epochs do not all complete in the same second.
     */
    default long startOffsetMicros() {
        return 0;
    }

    /** The next block in order, or empty at the end of the recording. */
    Optional<SampleBlock> next();

    @Override
    default void close() {
    }
}
