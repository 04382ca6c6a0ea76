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

    /**
     * Serialises a bed's causal state exactly (doubles bit for bit) for a state snapshot, or returns null when this
     * scorer cannot snapshot its state (the service then rebuilds such beds from the input look-back instead).
     */
    default byte[] saveState(BedState state) {
        return null;
    }

    /**
     * Restores a state written by {@link #saveState} of this same model build; scoring continues exactly as if the
     * bed had never left.
     *
     * @throws IllegalArgumentException when the bytes are not a state of this scorer (the message says why)
     */
    default BedState loadState(byte[] bytes) {
        throw new UnsupportedOperationException("stager " + modelId() + " does not snapshot its per-bed state");
    }

    /** Scores {@code epochs.get(i)} with {@code states.get(i)} and advances each state; one result per epoch. */
    List<StageResult> scoreBatch(List<BedState> states, List<Epoch> epochs);
}
