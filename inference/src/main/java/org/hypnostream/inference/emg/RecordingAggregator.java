package org.hypnostream.inference.emg;

import java.util.List;

/**
 * Aggregates window probabilities of one recording into a running and a final verdict: the recording's
 * probabilities are the mean of its window probabilities (summed in double), exactly as the training report
 * (training/emg/metrics.py) aggregates them. Not thread-safe: one instance per recording, fed in window order.
 */
public final class RecordingAggregator {
    private final String recordingId;
    private final List<String> classes;
    private final double[] sums;
    private int windows;
    private boolean finished;

    public RecordingAggregator(String recordingId, List<String> classes) {
        if (classes.isEmpty()) {
            throw new IllegalArgumentException("recording " + recordingId + ": no classes");
        }
        this.recordingId = recordingId;
        this.classes = List.copyOf(classes);
        this.sums = new double[classes.size()];
    }

    /** Adds one window's probabilities and returns the running verdict. */
    public RecordingVerdict add(float[] probabilities) {
        if (finished) {
            throw new IllegalStateException("recording " + recordingId + ": window " + windows + " arrived after the final verdict");
        }
        if (probabilities.length != sums.length) {
            throw new IllegalArgumentException("recording " + recordingId + ": window " + windows + " has "
                    + probabilities.length + " probabilities, expected " + sums.length);
        }
        for (int i = 0; i < sums.length; i++) {
            if (!Float.isFinite(probabilities[i])) {
                throw new IllegalArgumentException("recording " + recordingId + ": window " + windows + " has a non-finite probability");
            }
            sums[i] += probabilities[i];
        }
        windows++;
        return verdict(false);
    }

    /** The running verdict (confidence 0 and the first class while no window was scored). */
    public RecordingVerdict current() {
        return verdict(finished);
    }

    /** Marks the recording ended and returns the final verdict; idempotent. */
    public RecordingVerdict finish() {
        finished = true;
        return verdict(true);
    }

    public int windows() {
        return windows;
    }

    private RecordingVerdict verdict(boolean isFinal) {
        double[] mean = new double[sums.length];
        int best = 0;
        for (int i = 0; i < sums.length; i++) {
            mean[i] = windows == 0 ? 0.0 : sums[i] / windows;
            if (mean[i] > mean[best]) {
                best = i;
            }
        }
        return new RecordingVerdict(recordingId, classes, windows, mean, classes.get(best), mean[best], isFinal);
    }
}
