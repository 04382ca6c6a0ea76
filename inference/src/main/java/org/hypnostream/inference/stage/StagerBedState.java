package org.hypnostream.inference.stage;

/** Per-bed causal state of {@link CausalStager}: HMM posterior, night-context running means, last epoch index. */
final class StagerBedState implements StageScorer.BedState {
    double[] alpha;
    NightContext.Running context;
    long last = -1;

    @Override
    public long lastEpochIndex() {
        return last;
    }
}
