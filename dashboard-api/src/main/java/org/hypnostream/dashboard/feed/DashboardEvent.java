package org.hypnostream.dashboard.feed;

import java.util.Objects;
import org.hypnostream.common.event.AlarmNotice;
import org.hypnostream.common.event.Alert;
import org.hypnostream.common.event.AlertAction;
import org.hypnostream.common.event.BedInfo;
import org.hypnostream.common.event.LegMovementEvent;
import org.hypnostream.common.event.NeuromuscularEvent;
import org.hypnostream.common.event.PlmEvent;
import org.hypnostream.common.event.RevisedHypnogram;
import org.hypnostream.common.event.StageEvent;
import org.hypnostream.common.review.ReviewEvent;
import org.hypnostream.common.study.BedsideEvent;
import org.hypnostream.common.study.StudyEvent;
import org.hypnostream.dashboard.eeg.EegFrame;
import org.hypnostream.dashboard.eeg.EmgTrace;

/**
 * Everything the dashboard consumes from its topics, as one sealed type: each record wraps one decoded topic value
 * (or the display frame made from it). The records themselves live in {@code common} across three packages
 * ({@code event}, {@code study}, {@code review}); a sealed type outside a named module may only permit classes of
 * its own package, so the dashboard wraps them here instead of making {@code common}'s contract know the dashboard.
 * {@link #of} is the one place a decoded value becomes a dashboard event (refusing any other type); after it, code
 * dispatches with a {@link Visitor}, which is exhaustive: a new kind here is a new visitor method, and every visitor
 * stops compiling until it handles it (Java 17 has no pattern switch without preview).
 */
public sealed interface DashboardEvent permits
        DashboardEvent.OfBedInfo,
        DashboardEvent.OfStage,
        DashboardEvent.OfLeg,
        DashboardEvent.OfPlm,
        DashboardEvent.OfAlert,
        DashboardEvent.OfAlertAction,
        DashboardEvent.OfAlarmNotice,
        DashboardEvent.OfNeuromuscular,
        DashboardEvent.OfStudy,
        DashboardEvent.OfBedside,
        DashboardEvent.OfReview,
        DashboardEvent.OfRevised,
        DashboardEvent.OfEegFrame,
        DashboardEvent.OfEmgTrace {

    /** The bed the event belongs to, as the topic record gives it (validated by the ward, not here). */
    String bedId();

    /** The wrapped record. */
    Object value();

    <R> R accept(Visitor<R> v);

    /** One method per kind of event: implementing it handles every kind the dashboard consumes. */
    interface Visitor<R> {
        R bedInfo(BedInfo e);

        R stage(StageEvent e);

        R leg(LegMovementEvent e);

        R plm(PlmEvent e);

        R alert(Alert e);

        R alertAction(AlertAction e);

        R alarmNotice(AlarmNotice e);

        R neuromuscular(NeuromuscularEvent e);

        R study(StudyEvent e);

        R bedside(BedsideEvent e);

        R review(ReviewEvent e);

        R revised(RevisedHypnogram e);

        R eegFrame(EegFrame e);

        R emgTrace(EmgTrace e);
    }

    /**
     * The dashboard event of a decoded topic value (or display frame).
     *
     * @throws IllegalArgumentException naming the type when the dashboard does not consume it
     */
    static DashboardEvent of(Object value) {
        if (value instanceof BedInfo e) {
            return new OfBedInfo(e);
        } else if (value instanceof StageEvent e) {
            return new OfStage(e);
        } else if (value instanceof LegMovementEvent e) {
            return new OfLeg(e);
        } else if (value instanceof PlmEvent e) {
            return new OfPlm(e);
        } else if (value instanceof Alert e) {
            return new OfAlert(e);
        } else if (value instanceof AlertAction e) {
            return new OfAlertAction(e);
        } else if (value instanceof AlarmNotice e) {
            return new OfAlarmNotice(e);
        } else if (value instanceof NeuromuscularEvent e) {
            return new OfNeuromuscular(e);
        } else if (value instanceof StudyEvent e) {
            return new OfStudy(e);
        } else if (value instanceof BedsideEvent e) {
            return new OfBedside(e);
        } else if (value instanceof ReviewEvent e) {
            return new OfReview(e);
        } else if (value instanceof RevisedHypnogram e) {
            return new OfRevised(e);
        } else if (value instanceof EegFrame e) {
            return new OfEegFrame(e);
        } else if (value instanceof EmgTrace e) {
            return new OfEmgTrace(e);
        }
        throw new IllegalArgumentException("unsupported event " + (value == null ? "null" : value.getClass().getSimpleName()));
    }

    /** From beds.v1. */
    record OfBedInfo(BedInfo value) implements DashboardEvent {
        public OfBedInfo {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String bedId() {
            return value.bedId();
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.bedInfo(value);
        }
    }

    /** From stage-events.v1. */
    record OfStage(StageEvent value) implements DashboardEvent {
        public OfStage {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String bedId() {
            return value.bedId();
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.stage(value);
        }
    }

    /** From leg-events.v1. */
    record OfLeg(LegMovementEvent value) implements DashboardEvent {
        public OfLeg {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String bedId() {
            return value.bedId();
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.leg(value);
        }
    }

    /** From plm-events.v1. */
    record OfPlm(PlmEvent value) implements DashboardEvent {
        public OfPlm {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String bedId() {
            return value.bedId();
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.plm(value);
        }
    }

    /** From alerts.v1. */
    record OfAlert(Alert value) implements DashboardEvent {
        public OfAlert {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String bedId() {
            return value.bedId();
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.alert(value);
        }
    }

    /** From alert-actions.v1. */
    record OfAlertAction(AlertAction value) implements DashboardEvent {
        public OfAlertAction {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String bedId() {
            return value.bedId();
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.alertAction(value);
        }
    }

    /** From alarm-notices.v1. */
    record OfAlarmNotice(AlarmNotice value) implements DashboardEvent {
        public OfAlarmNotice {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String bedId() {
            return value.bedId();
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.alarmNotice(value);
        }
    }

    /** From neuromuscular-events.v1. */
    record OfNeuromuscular(NeuromuscularEvent value) implements DashboardEvent {
        public OfNeuromuscular {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String bedId() {
            return value.bedId();
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.neuromuscular(value);
        }
    }

    /** From study-events.v1. */
    record OfStudy(StudyEvent value) implements DashboardEvent {
        public OfStudy {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String bedId() {
            return value.bedId();
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.study(value);
        }
    }

    /** From bedside-events.v1. */
    record OfBedside(BedsideEvent value) implements DashboardEvent {
        public OfBedside {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String bedId() {
            return value.bedId();
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.bedside(value);
        }
    }

    /** From review-events.v1. */
    record OfReview(ReviewEvent value) implements DashboardEvent {
        public OfReview {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String bedId() {
            return value.bedId();
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.review(value);
        }
    }

    /** From revised-stages.v1. */
    record OfRevised(RevisedHypnogram value) implements DashboardEvent {
        public OfRevised {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String bedId() {
            return value.bedId();
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.revised(value);
        }
    }

    /** From eeg-epochs.v1, as a display frame. */
    record OfEegFrame(EegFrame value) implements DashboardEvent {
        public OfEegFrame {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String bedId() {
            return value.bedId();
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.eegFrame(value);
        }
    }

    /** From emg-segments.v1, as a display envelope. */
    record OfEmgTrace(EmgTrace value) implements DashboardEvent {
        public OfEmgTrace {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String bedId() {
            return value.bedId();
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.emgTrace(value);
        }
    }
}
