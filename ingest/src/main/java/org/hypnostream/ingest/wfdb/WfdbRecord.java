package org.hypnostream.ingest.wfdb;

import java.util.List;
import java.util.Objects;

/** A WFDB record: its header fields and every signal's samples in physical units. */
public record WfdbRecord(String name, double samplingFrequencyHz, long samplesPerSignal, List<WfdbSignal> signals,
                         List<String> comments) {
    public WfdbRecord {
        Objects.requireNonNull(name, "name");
        signals = List.copyOf(signals);
        comments = List.copyOf(comments);
    }

    /** The value of a "#key: value" comment line (e.g. "diagnosis"), or null. */
    public String comment(String key) {
        String prefix = key + ":";
        for (String c : comments) {
            if (c.startsWith(prefix)) {
                return c.substring(prefix.length()).trim();
            }
        }
        return null;
    }
}
