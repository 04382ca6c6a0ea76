package org.hypnostream.inference.stage;

import org.hypnostream.inference.features.RelativeWelch;

/**
 * Per-bed causal state of {@link SequenceStager}: the standardised rows of the bed's last K-1 present epochs (oldest
 * first; zero rows before its first present epoch), the chain's alpha after its last present epoch, the last epoch
 * index, and the relative-Welch band-pass filter state. Only a present epoch changes {@code past} and {@code alpha}.
 */
final class SequenceBedState implements StageScorer.BedState {
    final float[][] past;
    double[] alpha;
    long last = -1;
    final RelativeWelch.State welch = new RelativeWelch.State();

    SequenceBedState(int rows, int width) {
        past = new float[rows][width];
    }

    /** Appends a present epoch's standardised row, dropping the oldest. */
    void push(float[] z) {
        if (past.length == 0) {
            return;
        }
        System.arraycopy(past, 1, past, 0, past.length - 1);
        past[past.length - 1] = z.clone();
    }

    /** A copy of the window's past rows (the graph input). */
    float[][] pastCopy() {
        float[][] c = new float[past.length][];
        for (int i = 0; i < past.length; i++) {
            c[i] = past[i].clone();
        }
        return c;
    }

    @Override
    public long lastEpochIndex() {
        return last;
    }
}
