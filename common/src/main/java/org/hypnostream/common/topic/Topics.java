package org.hypnostream.common.topic;

import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.hypnostream.common.event.AlarmNotice;
import org.hypnostream.common.event.Alert;
import org.hypnostream.common.event.AlertAction;
import org.hypnostream.common.event.BedInfo;
import org.hypnostream.common.event.DeadLetter;
import org.hypnostream.common.event.JsonCodec;
import org.hypnostream.common.event.LegMovementEvent;
import org.hypnostream.common.event.NeuromuscularEvent;
import org.hypnostream.common.event.PlmEvent;
import org.hypnostream.common.event.RescoreRequest;
import org.hypnostream.common.event.RevisedHypnogram;
import org.hypnostream.common.event.StageEvent;
import org.hypnostream.common.event.StateSnapshot;
import org.hypnostream.common.review.ReviewEvent;
import org.hypnostream.common.study.BedsideEvent;
import org.hypnostream.common.study.StudyEvent;
import org.hypnostream.common.wire.EmgSegment;
import org.hypnostream.common.wire.Epoch;
import org.hypnostream.common.wire.LegWindow;
import org.hypnostream.common.wire.SampleBlock;
import org.hypnostream.common.wire.SampleBlockCodec;
import org.hypnostream.common.wire.WindowCodecs;

/** The topic catalogue (ARCHITECTURE.md): every topic, once, with its serdes. Key = bed id everywhere. */
public final class Topics {
    private static final Serde<String> KEY = Serdes.String();

    public static final Topic<String, SampleBlock> SAMPLES =
            new Topic<>("samples.v1", KEY, new CodecSerde<>(SampleBlockCodec::encode, SampleBlockCodec::decode), false);
    public static final Topic<String, Epoch> EEG_EPOCHS =
            new Topic<>("eeg-epochs.v1", KEY, new CodecSerde<>(WindowCodecs::encodeEpoch, WindowCodecs::decodeEpoch), false);
    public static final Topic<String, LegWindow> LEG_WINDOWS =
            new Topic<>("leg-windows.v1", KEY, new CodecSerde<>(WindowCodecs::encodeLegWindow, WindowCodecs::decodeLegWindow), false);
    public static final Topic<String, EmgSegment> EMG_SEGMENTS =
            new Topic<>("emg-segments.v1", KEY, new CodecSerde<>(WindowCodecs::encodeEmgSegment, WindowCodecs::decodeEmgSegment), false);
    public static final Topic<String, StageEvent> STAGE_EVENTS = json("stage-events.v1", StageEvent.class, false);
    public static final Topic<String, LegMovementEvent> LEG_EVENTS = json("leg-events.v1", LegMovementEvent.class, false);
    public static final Topic<String, PlmEvent> PLM_EVENTS = json("plm-events.v1", PlmEvent.class, false);
    public static final Topic<String, NeuromuscularEvent> NEUROMUSCULAR_EVENTS =
            json("neuromuscular-events.v1", NeuromuscularEvent.class, false);
    public static final Topic<String, Alert> ALERTS = json("alerts.v1", Alert.class, false);
    public static final Topic<String, AlertAction> ALERT_ACTIONS = json("alert-actions.v1", AlertAction.class, false);
    /** Reminders and escalations of unacknowledged alerts, by the stream processor's alarm escalation (ADR 0013). */
    public static final Topic<String, AlarmNotice> ALARM_NOTICES = json("alarm-notices.v1", AlarmNotice.class, false);
    public static final Topic<String, BedInfo> BEDS = json("beds.v1", BedInfo.class, true);
    public static final Topic<String, DeadLetter> DEAD_LETTER = json("dead-letter.v1", DeadLetter.class, false);
    /** Study lifecycle marks: admitted, lights off/on, ended, amendments (the study's record; not compacted). */
    public static final Topic<String, StudyEvent> STUDY_EVENTS = json("study-events.v1", StudyEvent.class, false);
    /** What happened at the bedside during a study (position change, bathroom break, note, ...). */
    public static final Topic<String, BedsideEvent> BEDSIDE_EVENTS = json("bedside-events.v1", BedsideEvent.class, false);
    /** Morning review of a study: corrections (re-stage, add/delete a leg movement) and the physician's signature. */
    public static final Topic<String, ReviewEvent> REVIEW_EVENTS = json("review-events.v1", ReviewEvent.class, false);
    /** The morning re-score ("revised" hypnogram, NON-causal) of a study's night; never feeds live stages or alarms. */
    public static final Topic<String, RevisedHypnogram> REVISED_STAGES =
            json("revised-stages.v1", RevisedHypnogram.class, false);
    /** On-demand re-score of a finished stretch (dashboard -> inference), answered on revised-stages.v1. */
    public static final Topic<String, RescoreRequest> RESCORE_REQUESTS =
            json("rescore-requests.v1", RescoreRequest.class, false);
    /** Per-bed inference state snapshots (ADR 0006); compacted; key = lane + ":" + bed id (the one exception). */
    public static final Topic<String, StateSnapshot> INFERENCE_STATE =
            json("inference-state.v1", StateSnapshot.class, true);

    private Topics() {
    }

    public static <T> Topic<String, T> json(String name, Class<T> type, boolean compacted) {
        return new Topic<>(name, KEY, new CodecSerde<>(JsonCodec::toBytes, b -> JsonCodec.fromBytes(b, type)), compacted);
    }

    public static List<Topic<String, ?>> all() {
        return List.of(SAMPLES, EEG_EPOCHS, LEG_WINDOWS, EMG_SEGMENTS, STAGE_EVENTS, LEG_EVENTS, PLM_EVENTS,
                NEUROMUSCULAR_EVENTS, ALERTS, ALERT_ACTIONS, BEDS, DEAD_LETTER, INFERENCE_STATE, STUDY_EVENTS, BEDSIDE_EVENTS,
                REVIEW_EVENTS, REVISED_STAGES, ALARM_NOTICES, RESCORE_REQUESTS);
    }
}
