package org.hypnostream.stream.signal;

/** How a stored timeline holds its samples: which layout version of a part wrote it. */
public enum StateLayout {
    /** Every buffered sample inline in the head (before ADR 0017). */
    INLINE,
    /** Full chunks under {@code #<chunk index>} keys, deleted once trimmed (ADR 0017). */
    KEYED,
    /** Full chunks in a bounded ring of slot keys, overwritten in place (ADR 0026). */
    RING
}
