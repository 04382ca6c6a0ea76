package org.hypnostream.common.event;

import java.util.Arrays;
import java.util.Objects;

/**
 * The causal state of one bed in one inference lane ({@code inference-state.v1}, compacted, key =
 * {@link #key(String, String) lane:bed}), written in the same Kafka transaction as the events and input offsets it
 * belongs to, so that a restarted service resumes every bed exactly where the committed offsets left it.
 *
 * @param lane               lane name, e.g. "stage"
 * @param modelId            model whose state this is
 * @param modelSha256        that model's sha256: a snapshot of another model build is ignored on restore
 * @param bedId              bed id
 * @param sessionStartMicros the bed's recording session start (epoch micros)
 * @param lastIndex          index of the last epoch/window folded into {@code state}, or -1
 * @param inputTopic         the lane's input topic
 * @param inputPartition     input partition the bed's records arrive on
 * @param inputOffset        offset of the last input record folded into {@code state}
 * @param state              lane-specific serialised state (opaque here)
 */
public record StateSnapshot(String lane, String modelId, String modelSha256, String bedId, long sessionStartMicros,
        long lastIndex, String inputTopic, int inputPartition, long inputOffset, byte[] state) {

    public StateSnapshot {
        for (String s : new String[] {lane, modelId, modelSha256, bedId, inputTopic}) {
            if (s == null || s.isBlank()) {
                throw new IllegalArgumentException("state snapshot of bed " + bedId + " in lane " + lane
                        + ": lane, model id, sha256, bed id and input topic are required");
            }
        }
        Objects.requireNonNull(state, "state");
        if (lastIndex < -1 || inputPartition < 0 || inputOffset < 0) {
            throw new IllegalArgumentException("state snapshot of bed " + bedId + " in lane " + lane + ": last index "
                    + lastIndex + ", partition " + inputPartition + ", offset " + inputOffset);
        }
    }

    /** The record key: {@code lane + ":" + bedId}. */
    public static String key(String lane, String bedId) {
        return lane + ":" + bedId;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StateSnapshot s && lane.equals(s.lane) && modelId.equals(s.modelId)
                && modelSha256.equals(s.modelSha256) && bedId.equals(s.bedId)
                && sessionStartMicros == s.sessionStartMicros && lastIndex == s.lastIndex
                && inputTopic.equals(s.inputTopic) && inputPartition == s.inputPartition
                && inputOffset == s.inputOffset && Arrays.equals(state, s.state);
    }

    @Override
    public int hashCode() {
        return Objects.hash(lane, modelId, modelSha256, bedId, sessionStartMicros, lastIndex, inputTopic,
                inputPartition, inputOffset, Arrays.hashCode(state));
    }

    @Override
    public String toString() {
        return "StateSnapshot[" + key(lane, bedId) + ", model " + modelId + ", session " + sessionStartMicros
                + ", last " + lastIndex + ", " + inputTopic + "-" + inputPartition + "@" + inputOffset + ", "
                + state.length + " bytes]";
    }
}
