package org.hypnostream.inference.emg;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A per-recording verdict: the mean of the window probabilities so far, the most probable class (first on ties) and
 * its mean probability as the confidence. {@code isFinal} once the recording has ended.
 *
 * @param meanProbabilities mean window probability per class, in the order of {@code classes}
 */
public record RecordingVerdict(String recordingId, List<String> classes, int windows, double[] meanProbabilities,
        String verdict, double confidence, boolean isFinal) {

    public RecordingVerdict {
        Objects.requireNonNull(recordingId, "recordingId");
        classes = List.copyOf(classes);
        meanProbabilities = meanProbabilities.clone();
        if (meanProbabilities.length != classes.size() || windows < 0) {
            throw new IllegalArgumentException("verdict for " + recordingId + ": " + meanProbabilities.length
                    + " probabilities for " + classes.size() + " classes, " + windows + " windows");
        }
    }

    /** Mean probability of one class (by name, case-insensitive). */
    public double probability(String cls) {
        for (int i = 0; i < classes.size(); i++) {
            if (classes.get(i).equalsIgnoreCase(cls)) {
                return meanProbabilities[i];
            }
        }
        throw new IllegalArgumentException("verdict for " + recordingId + ": no class " + cls + " in " + classes);
    }

    /** The ALS-vs-normal decision: ALS iff mean P(ALS) >= mean P(normal). */
    public boolean alsOverNormal() {
        return probability(EmgClasses.ALS) >= probability(EmgClasses.NORMAL);
    }

    @Override
    public double[] meanProbabilities() {
        return meanProbabilities.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecordingVerdict v && recordingId.equals(v.recordingId) && classes.equals(v.classes)
                && windows == v.windows && Arrays.equals(meanProbabilities, v.meanProbabilities)
                && verdict.equals(v.verdict) && Double.compare(confidence, v.confidence) == 0 && isFinal == v.isFinal;
    }

    @Override
    public int hashCode() {
        return Objects.hash(recordingId, windows, verdict, isFinal) * 31 + Arrays.hashCode(meanProbabilities);
    }

    @Override
    public String toString() {
        return "RecordingVerdict[" + recordingId + ", " + windows + " windows, " + verdict + " " + confidence
                + (isFinal ? ", final]" : "]");
    }
}
