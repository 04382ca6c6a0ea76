package org.hypnostream.inference.service;

import java.util.Locale;

/**
 * The inference service's transaction loops (ADR 0022). Each runs on its own thread with its own consumer group
 * member, transactional producer and transactional id, so that a morning re-score (seconds per ward) never holds
 * live scoring back. A {@link Lane} says which loop it runs on ({@link Lane#loop()}).
 */
public enum Loop {
    /**
     * Live scoring (stage, leg and EMG lanes): group {@value InferenceConfig#GROUP_ID}, transactional id
     * {@code hypnostream-inference-<instance id>}, the ids of the single loop before it.
     */
    LIVE(InferenceConfig.GROUP_ID, null, true),
    /**
     * The morning and on-demand re-scores: group {@value InferenceConfig#RESCORE_GROUP_ID}, transactional id
     * {@code hypnostream-inference-rescore-<instance id>}; a partition without a committed offset in its group starts
     * where {@link #LIVE}'s group (the single loop's) committed it, once. Its lanes keep no snapshots.
     */
    RESCORE(InferenceConfig.RESCORE_GROUP_ID, InferenceConfig.GROUP_ID, false);

    /**
     * Records per poll of the re-score loop, so per transaction: each lights-on mark costs a night's re-score, so a
     * ward's marks commit (and their revised hypnograms show) a few at a time instead of all at the end.
     */
    static final int RESCORE_POLL_RECORDS = 8;

    private final String groupId;
    private final String handoverGroup;
    private final boolean snapshots;

    Loop(String groupId, String handoverGroup, boolean snapshots) {
        this.groupId = groupId;
        this.handoverGroup = handoverGroup;
        this.snapshots = snapshots;
    }

    /** The consumer group of this loop (the same for every instance). */
    public String groupId() {
        return groupId;
    }

    /** This loop's transactional id on instance {@code cfg.instanceId()}: {@code <group id>-<instance id>}. */
    public String transactionalId(InferenceConfig cfg) {
        return groupId + "-" + cfg.instanceId();
    }

    /** The metric tag value and thread name part: "live" or "rescore". */
    String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The group whose committed offset a partition without one in {@link #groupId()} starts from, or null. */
    String handoverGroup() {
        return handoverGroup;
    }

    /** Whether the loop's lanes keep {@code inference-state.v1} snapshots (read on assignment). */
    boolean snapshots() {
        return snapshots;
    }

    int maxPollRecords(InferenceConfig cfg) {
        return this == LIVE ? Math.max(cfg.batchSize() * 4, 100) : RESCORE_POLL_RECORDS;
    }
}
