package org.hypnostream.inference.stage;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.hypnostream.common.event.Alert;
import org.hypnostream.common.event.AlertPriority;
import org.hypnostream.common.event.AlertState;
import org.hypnostream.common.event.Stage;
import org.hypnostream.common.wire.QualityFlag;

/**
 * What happens to a bed's stage state and output when an epoch's own data is unusable (flagged GAP, NAN, FLAT,
 * CLIPPED, MISSING_CHANNEL or PARTIAL, or found so in its samples by {@link EpochQuality}; or a non-finite feature),
 * and when a run of such epochs is flagged. Pure and Kafka-free, as {@code AlarmPolicy} is for PLM alarms:
 * <ol>
 * <li>An epoch without usable data is never scored from its samples. With a prior epoch to predict from it is
 * predicted from prior epochs only ({@code fromPriorOnly}, the most probable stage of the prediction, with the
 * reason); without one it is UNSCORED with the reason and "; no prior epoch to predict from"
 * ({@link #withoutData}).</li>
 * <li>Such an epoch never advances the bed's recurrent state with its data: the feature stagers reset the bed's Welch
 * filter, keep v3's window and alpha as they were and advance v2's HMM posterior by its transition only (the
 * prediction); see {@code CausalStagerBadInputTest}, {@code SequenceStagerBadInputTest}.</li>
 * <li>An epoch is not scored when it is UNSCORED or predicted from prior only ({@link #notScored}); a not-scored
 * result without a reason gets one naming the epoch's quality flags ({@link #reason}).</li>
 * <li>Consecutive not-scored epochs of a bed form a run; the run that reaches {@code alertAfterEpochs} raises one
 * MEDIUM technical alert {@value #ALERT_CODE} (id {@code <bed>/UNSCORED_PERSISTENT/<session>/<first epoch>}), the
 * next scored epoch clears it; a scored epoch ends the run ({@link #next}).</li>
 * <li>The {@code hypnostream.inference.unscored.*} gauges are the beds with an open alert and the longest current
 * run ({@link #gauges}).</li>
 * </ol>
 */
public final class UnscoredRunPolicy {
    public static final String ALERT_CODE = "UNSCORED_PERSISTENT";
    /** The reason given for an epoch without features when none was recorded. */
    static final String NO_FEATURES = "no features";

    private final int alertAfterEpochs;

    /** @param alertAfterEpochs consecutive not-scored epochs that raise the alert ({@code inference.unscored.alert.epochs}) */
    public UnscoredRunPolicy(int alertAfterEpochs) {
        if (alertAfterEpochs < 1) {
            throw new IllegalArgumentException("unscored alert threshold " + alertAfterEpochs + " < 1");
        }
        this.alertAfterEpochs = alertAfterEpochs;
    }

    public int alertAfterEpochs() {
        return alertAfterEpochs;
    }

    /** The bed's next run, and the alert raised or cleared by this epoch (null when none). */
    public record Step(UnscoredRun run, Alert alert) {
    }

    /** The gauges' values over an instance's beds. */
    public record Gauges(int alertingBeds, int longestRun) {
    }

    /**
     * Rule 1: the result of an epoch without usable data.
     *
     * @param predicted the stage probabilities predicted from prior epochs only, or null when the bed has no prior
     * @param reason    why the epoch has no features, or null ({@value #NO_FEATURES})
     */
    public static StageResult withoutData(double[] predicted, String reason, Set<QualityFlag> quality) {
        String why = reason == null ? NO_FEATURES : reason;
        if (predicted == null) {
            return new StageResult(Stage.UNSCORED, List.of(), false, why + "; no prior epoch to predict from", quality);
        }
        return StageResult.mostProbable(predicted, true, why, quality);
    }

    /** Rule 3: whether the result counts towards a run (UNSCORED or predicted from prior only). */
    public static boolean notScored(StageResult r) {
        return r.stage() == Stage.UNSCORED || r.fromPriorOnly();
    }

    /** Rule 3: the reason a stage event carries: the scorer's, or for a not-scored result without one, the flags. */
    public static String reason(StageResult r, Set<QualityFlag> epochQuality) {
        if (notScored(r) && (r.reason() == null || r.reason().isBlank())) {
            return "stager gave no reason; epoch quality " + epochQuality;
        }
        return notScored(r) ? r.reason() : null;
    }

    /**
     * Rule 4: folds epoch {@code index} of a bed into its run.
     *
     * @param notScored whether the epoch was not scored ({@link #notScored})
     * @param reason    its reason when not scored
     * @param now       the time an alert is raised or cleared at
     */
    public Step next(UnscoredRun run, String bedId, long sessionStartMicros, long index, boolean notScored,
            String reason, Instant now) {
        if (notScored) {
            long start = run.length() == 0 ? index : run.startIndex();
            int length = run.length() + 1;
            if (length == alertAfterEpochs && !run.alerting()) {
                String id = bedId + "/" + ALERT_CODE + "/" + sessionStartMicros + "/" + start;
                Alert raised = new Alert(id, bedId, false, ALERT_CODE, AlertPriority.MEDIUM, AlertState.ACTIVE,
                        "bed " + bedId + ": " + length + " consecutive epochs not scored (epochs " + start + "-" + index
                                + "): " + reason, now, now, null, null);
                return new Step(new UnscoredRun(length, start, reason, id, now), raised);
            }
            return new Step(new UnscoredRun(length, start, reason, run.activeAlertId(), run.alertRaisedAt()), null);
        }
        UnscoredRun ended = new UnscoredRun(0, run.startIndex(), run.reason(), null, run.alertRaisedAt());
        if (!run.alerting()) {
            return new Step(run.length() == 0 ? run : ended, null);
        }
        Alert cleared = new Alert(run.activeAlertId(), bedId, false, ALERT_CODE, AlertPriority.MEDIUM,
                AlertState.CLEARED, "bed " + bedId + ": scored again from epoch " + index, run.alertRaisedAt(), now,
                null, null);
        return new Step(ended, cleared);
    }

    /** Rule 5: beds with an open alert and the longest current run, over the given beds' runs. */
    public static Gauges gauges(Iterable<UnscoredRun> runs) {
        int alerting = 0;
        int longest = 0;
        for (UnscoredRun r : runs) {
            alerting += r.alerting() ? 1 : 0;
            longest = Math.max(longest, r.length());
        }
        return new Gauges(alerting, longest);
    }
}
