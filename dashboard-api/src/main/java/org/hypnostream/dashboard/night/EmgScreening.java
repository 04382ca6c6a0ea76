package org.hypnostream.dashboard.night;

import java.util.Collection;
import java.util.TreeMap;
import org.hypnostream.common.event.NeuromuscularEvent;

/**
 * The needle-EMG screening of a bed's current recording as the dashboard shows it: window events by index (the newest
 * {@link #MAX_WINDOWS} kept) and the latest per-recording verdict. Another recording, or the same one screened again
 * after its final verdict (window 0 again), starts afresh. Not thread-safe: part of a {@link BedNight}.
 */
final class EmgScreening {
    /** At most this many window events of the current recording are kept (about 10 min of 1-s windows). */
    static final int MAX_WINDOWS = 600;

    private final TreeMap<Long, NeuromuscularEvent> windows = new TreeMap<>();
    private NeuromuscularEvent verdict;

    /** Whether {@code n} is already held (a re-delivery). */
    boolean holds(NeuromuscularEvent n) {
        return "WINDOW".equals(n.kind()) ? n.equals(windows.get(n.windowIndex())) : n.equals(verdict);
    }

    void apply(NeuromuscularEvent n) {
        boolean sameRecording = verdict == null || verdict.recordingId().equals(n.recordingId());
        if ("WINDOW".equals(n.kind())) {
            if (!sameRecording || (verdict != null && verdict.isFinal() && n.windowIndex() == 0)) {
                windows.clear(); // another recording (or the same one started again) is being screened
                verdict = null;
            }
            windows.put(n.windowIndex(), n);
            while (windows.size() > MAX_WINDOWS) {
                windows.pollFirstEntry();
            }
        } else {
            if (!sameRecording) {
                windows.clear();
            }
            verdict = n;
        }
    }

    Collection<NeuromuscularEvent> windows() {
        return windows.values();
    }

    NeuromuscularEvent verdict() {
        return verdict;
    }
}
