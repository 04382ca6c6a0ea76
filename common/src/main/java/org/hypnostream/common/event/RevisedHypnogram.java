package org.hypnostream.common.event;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The morning re-score ("revised" hypnogram) of one study's night on one bed ({@code revised-stages.v1}, key = bed
 * id): a NON-causal re-score (it uses epochs after each epoch), published once per lights-on (again after a corrected
 * lights-on). Never feeds live stages, alarms or PLM; the live hypnogram stays {@code stage-events.v1}.
 *
 * @param studyId        the study whose night this is
 * @param triggerEventId the {@code study-events.v1} mark (LIGHTS_ON or its amendment) that asked for it
 * @param nonCausal      always true: the label travels with the data
 * @param label          always {@link #LABEL}
 * @param from           first epoch start considered (the study's admission, or the start of the data)
 * @param until          lights-on (device time): epochs starting before it are re-scored
 * @param provenance     model id and sha256 of the stager whose re-score graph produced it
 * @param epochs         one entry per epoch of the bed's recording in [from, until), in index order
 */
public record RevisedHypnogram(String bedId, String studyId, String triggerEventId, boolean nonCausal, String label,
        Instant from, Instant until, Provenance provenance, Instant producedAt, List<RevisedEpoch> epochs) {
    public static final String LABEL = "revised (non-causal, morning re-score)";

    public RevisedHypnogram {
        Objects.requireNonNull(bedId, "bedId");
        Objects.requireNonNull(studyId, "studyId");
        Objects.requireNonNull(triggerEventId, "triggerEventId");
        Objects.requireNonNull(until, "until");
        Objects.requireNonNull(provenance, "provenance");
        Objects.requireNonNull(producedAt, "producedAt");
        if (!nonCausal || !LABEL.equals(label)) {
            throw new IllegalArgumentException("a revised hypnogram is non-causal and labelled '" + LABEL + "'");
        }
        if (provenance.modelId() == null || provenance.modelSha256() == null) {
            throw new IllegalArgumentException("a revised hypnogram names its model id and sha256");
        }
        epochs = epochs == null ? List.of() : List.copyOf(epochs);
        for (int i = 1; i < epochs.size(); i++) {
            if (epochs.get(i).epochIndex() <= epochs.get(i - 1).epochIndex()) {
                throw new IllegalArgumentException("revised epochs of bed " + bedId + " not in index order at " + i);
            }
        }
    }

    /** A revised hypnogram of this night (the non-causal flag and label set). */
    public static RevisedHypnogram of(String bedId, String studyId, String triggerEventId, Instant from, Instant until,
            Provenance provenance, Instant producedAt, List<RevisedEpoch> epochs) {
        return new RevisedHypnogram(bedId, studyId, triggerEventId, true, LABEL, from, until, provenance, producedAt,
                epochs);
    }

    /**
     * One epoch of the revised hypnogram.
     *
     * @param probabilities W, N1, N2, N3, REM (sum 1), or empty when UNSCORED
     * @param fromPriorOnly the epoch's own data was unusable: its live prediction from prior epochs is kept
     * @param reason        why UNSCORED or from prior epochs only; null otherwise
     */
    public record RevisedEpoch(long epochIndex, Instant epochStart, Instant epochEnd, Stage stage,
            List<Double> probabilities, boolean fromPriorOnly, String reason) {
        public RevisedEpoch {
            Objects.requireNonNull(epochStart, "epochStart");
            Objects.requireNonNull(epochEnd, "epochEnd");
            Objects.requireNonNull(stage, "stage");
            probabilities = probabilities == null ? List.of() : List.copyOf(probabilities);
            if (!probabilities.isEmpty() && probabilities.size() != Stage.SCORED.size()) {
                throw new IllegalArgumentException("revised epoch " + epochIndex + ": " + probabilities.size()
                        + " probabilities, expected 5");
            }
            if ((stage == Stage.UNSCORED || fromPriorOnly) && (reason == null || reason.isBlank())) {
                throw new IllegalArgumentException("revised epoch " + epochIndex + " UNSCORED or from prior epochs "
                        + "without a reason");
            }
        }
    }
}
