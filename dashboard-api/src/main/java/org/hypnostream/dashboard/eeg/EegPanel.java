package org.hypnostream.dashboard.eeg;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The latest EEG of each bed: spectrogram columns of the last {@link #KEEP_EPOCHS} epochs and the newest traces.
 * A latest-value view outside the numbered night (a missed frame is simply superseded). Event-loop owned. Only the
 * newest frame's traces are kept (as the frame without its spectrogram, ~18 KB for three channels at 50 Hz); of every
 * kept epoch the panel keeps the spectrogram as the page gets it, to 0.1 dB, delta-coded ({@link KeptSpectrum}, ~1.7
 * KB), so a bed costs ~0.13 MB here once its 60 epochs are kept (ADR 0027).
 */
public final class EegPanel {
    public static final int KEEP_EPOCHS = 60;
    private final Map<String, TreeMap<Long, KeptSpectrum>> byBed = new HashMap<>();
    private final Map<String, EegFrame> newest = new HashMap<>();
    private final Map<String, EmgTrace> emg = new HashMap<>();

    /** Keeps the bed's newest needle-EMG trace; false when it is not newer than the one kept (a re-delivery). */
    public boolean add(EmgTrace t) {
        EmgTrace old = emg.get(t.bedId());
        if (old != null && old.recordingId().equals(t.recordingId()) && t.index() <= old.index() && !(old.last() && t.index() == 0)) {
            return false;
        }
        emg.put(t.bedId(), t);
        return true;
    }

    /** The bed's newest needle-EMG trace message, for a new bed-view client. */
    public Optional<JsonObject> emgJson(String bedId) {
        return Optional.ofNullable(emg.get(bedId)).map(EmgTrace::json);
    }

    /** Keeps the frame; false when it is older than everything kept or already known. */
    public boolean add(EegFrame f) {
        TreeMap<Long, KeptSpectrum> m = byBed.computeIfAbsent(f.bedId(), b -> new TreeMap<>());
        if (m.containsKey(f.epochIndex()) || (m.size() >= KEEP_EPOCHS && f.epochIndex() < m.firstKey())) {
            return false;
        }
        m.put(f.epochIndex(), KeptSpectrum.of(f));
        EegFrame latest = newest.get(f.bedId());
        if (latest == null || latest.epochIndex() < f.epochIndex()) { // a late older frame: its traces are never shown
            newest.put(f.bedId(), f.withoutColumns()); // its spectrogram is kept once, in m
        }
        while (m.size() > KEEP_EPOCHS) {
            m.pollFirstEntry();
        }
        return true;
    }

    /** The message for a new frame: its spectrogram columns and, when it is the newest, its traces. */
    public JsonObject liveJson(EegFrame f) {
        JsonObject o = new JsonObject().put("type", "eeg").put("bed", f.bedId()).put("spectra", new JsonArray().add(f.spectrumJson()));
        TreeMap<Long, KeptSpectrum> m = byBed.get(f.bedId());
        if (m != null && m.lastKey() == f.epochIndex()) {
            o.put("latest", f.tracesJson());
        }
        return o;
    }

    /** Everything kept for a bed, for a new bed-view client. */
    public Optional<JsonObject> historyJson(String bedId) {
        TreeMap<Long, KeptSpectrum> m = byBed.get(bedId);
        if (m == null || m.isEmpty()) {
            return Optional.empty();
        }
        JsonArray spectra = new JsonArray();
        m.values().forEach(f -> spectra.add(f.json()));
        return Optional.of(new JsonObject().put("type", "eeg").put("bed", bedId).put("spectra", spectra)
                .put("latest", newest.get(bedId).tracesJson()));
    }
}
