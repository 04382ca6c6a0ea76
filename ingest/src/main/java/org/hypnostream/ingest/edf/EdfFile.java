package org.hypnostream.ingest.edf;

import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A parsed EDF or EDF+ file. The "EDF Annotations" signal is not among {@code signals}; its TALs are in
 * {@code annotations} (time-keeping TALs excluded).
 *
 * @param startTime           the header's start date and time (local clock time of the recording; treat as UTC)
 * @param recordOnsetsSeconds onset of every data record in seconds after {@code startTime}: {@code i * duration}
 *                            for plain EDF, the first TAL of each record for EDF+ (needed for EDF+D)
 */
public record EdfFile(
        String patientField,
        String recordingField,
        LocalDateTime startTime,
        double recordDurationSeconds,
        int recordCount,
        boolean edfPlus,
        boolean discontinuous,
        List<EdfSignal> signals,
        List<EdfAnnotation> annotations,
        double[] recordOnsetsSeconds) {

    public EdfFile {
        Objects.requireNonNull(startTime, "startTime");
        signals = List.copyOf(signals);
        annotations = List.copyOf(annotations);
        Objects.requireNonNull(recordOnsetsSeconds, "recordOnsetsSeconds");
    }

    /** The signal with this exact label (trimmed), or null. */
    public EdfSignal signal(String label) {
        for (EdfSignal s : signals) {
            if (s.label().equals(label)) {
                return s;
            }
        }
        return null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EdfFile f && Objects.equals(patientField, f.patientField)
                && Objects.equals(recordingField, f.recordingField) && startTime.equals(f.startTime)
                && Double.compare(recordDurationSeconds, f.recordDurationSeconds) == 0 && recordCount == f.recordCount
                && edfPlus == f.edfPlus && discontinuous == f.discontinuous && signals.equals(f.signals)
                && annotations.equals(f.annotations) && Arrays.equals(recordOnsetsSeconds, f.recordOnsetsSeconds);
    }

    @Override
    public int hashCode() {
        return Objects.hash(startTime, recordCount, signals, annotations) * 31 + Arrays.hashCode(recordOnsetsSeconds);
    }

    @Override
    public String toString() {
        return "EdfFile[start=" + startTime + ", records=" + recordCount + " x " + recordDurationSeconds + " s, "
                + (edfPlus ? (discontinuous ? "EDF+D" : "EDF+C") : "EDF") + ", signals=" + signals.size()
                + ", annotations=" + annotations.size() + "]";
    }
}
