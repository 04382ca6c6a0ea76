package org.hypnostream.common.wire;

/** Why a window's data is not perfect; carried on epochs, leg windows, segments and every event scored from them. */
public enum QualityFlag {
    /** Samples missing (a sequence gap or a device-time gap); missing samples are NaN in the window. */
    GAP,
    /** A channel has (nearly) no variance: electrode off or amplifier stuck. */
    FLAT,
    /** A channel sits at its rails for a large share of samples. */
    CLIPPED,
    /** NaN or infinite samples were delivered by the source. */
    NAN,
    /** A channel the model needs is not in the montage. */
    MISSING_CHANNEL,
    /** The window was closed early (stream ended or stalled) and is padded with NaN. */
    PARTIAL,
    /** The device clock jumped; the window was re-aligned. */
    CLOCK_JUMP,
    /** Blocks arrived out of order and were re-ordered or dropped. */
    OUT_OF_ORDER
}
