package org.hypnostream.inference.stage;

import org.hypnostream.inference.features.RelativeWelch;

/**
 * Per-bed causal state of {@link CausalStager}: HMM posterior, night-context running means, last epoch index, and
 * the relative-Welch band-pass filter state (used when the model has a welch input).
 */
final class StagerBedState implements StageScorer.BedState {
    double[] alpha;
    NightContext.Running context;
    long last = -1;
    final RelativeWelch.State welch = new RelativeWelch.State();

    @Override
    public long lastEpochIndex() {
        return last;
    }
}
