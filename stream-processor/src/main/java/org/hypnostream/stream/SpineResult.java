package org.hypnostream.stream;

import java.util.ArrayList;
import java.util.List;
import org.hypnostream.common.wire.EmgSegment;
import org.hypnostream.common.wire.Epoch;
import org.hypnostream.common.wire.LegWindow;
import org.hypnostream.stream.signal.Admission;

/**
 * What one block produced: windows to publish, a duplicate that was dropped, or a rejection for the dead-letter
 * topic (reason code for metrics, message naming bed, source and block).
 */
public record SpineResult(List<Epoch> epochs, List<LegWindow> legWindows, List<EmgSegment> segments, boolean duplicate,
        Admission rejection) {

    static final SpineResult EMPTY = new SpineResult(List.of(), List.of(), List.of(), false, null);

    public SpineResult {
        epochs = List.copyOf(epochs);
        legWindows = List.copyOf(legWindows);
        segments = List.copyOf(segments);
    }

    static SpineResult of(Admission a) {
        return new SpineResult(List.of(), List.of(), List.of(), a.kind() == Admission.Kind.DUPLICATE,
                a.kind() == Admission.Kind.REJECT ? a : null);
    }

    SpineResult plus(SpineResult o) {
        List<Epoch> e = new ArrayList<>(epochs);
        e.addAll(o.epochs);
        List<LegWindow> l = new ArrayList<>(legWindows);
        l.addAll(o.legWindows);
        List<EmgSegment> s = new ArrayList<>(segments);
        s.addAll(o.segments);
        return new SpineResult(e, l, s, duplicate || o.duplicate, rejection != null ? rejection : o.rejection);
    }
}
