package org.hypnostream.common.study;

import java.time.Instant;
import java.util.Objects;

/** A scored leg movement (bilateral-merged LM as the PLM scorer emits it) and whether it belongs to a PLM series. */
public record LegMark(Instant onset, boolean periodic) {
    public LegMark {
        Objects.requireNonNull(onset, "onset");
    }
}
