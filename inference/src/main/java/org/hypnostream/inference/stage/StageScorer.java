package org.hypnostream.inference.stage;

import java.util.List;
import org.hypnostream.common.wire.Epoch;

/**
 * Causal sleep staging of epochs, per bed. Implementations keep everything a bed's past contributes (HMM forward
 * state, prior-epoch buffer, ...) in the opaque per-bed {@link BedState}; they never look at data after the epoch
 * being scored. Epochs of one bed must be given in index order. {@link #scoreBatch} scores many beds' epochs with
 * one model call (micro-batching); results are identical to scoring them one by one.
 */
public interface StageScorer {

    /** Opaque per-bed causal state; mutable, owned by the caller, one per bed. */
    interface BedState {
        /** Index of the last epoch folded into this state, or -1. */
        long lastEpochIndex();
    }

    String modelId();

    String modelSha256();

    /** "CPU" or "CUDA". */
    String provider();

    BedState newState();

    /** Scores {@code epochs.get(i)} with {@code states.get(i)} and advances each state; one result per epoch. */
    List<StageResult> scoreBatch(List<BedState> states, List<Epoch> epochs);
}
