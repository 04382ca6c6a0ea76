package org.hypnostream.bench.load;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.hypnostream.common.event.Alert;
import org.hypnostream.common.event.AlertAction;
import org.hypnostream.common.event.AlertPriority;
import org.hypnostream.common.event.AlertState;
import org.hypnostream.common.event.LegMovementEvent;
import org.hypnostream.common.event.PlmEvent;
import org.hypnostream.common.event.Provenance;
import org.hypnostream.common.event.Stage;
import org.hypnostream.common.event.StageEvent;
import org.hypnostream.common.study.Admission;
import org.hypnostream.common.study.Population;
import org.hypnostream.common.study.StudyEvent;
import org.hypnostream.common.study.StudyEventType;
import org.hypnostream.common.study.StudyProtocol;
import org.hypnostream.common.time.Micros;
import org.hypnostream.common.topic.Topic;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.ingest.source.SyntheticAmplifier;
import org.hypnostream.ingest.source.TrueLegMovement;

/**
 * One bed's synthetic night ({@link SyntheticAmplifier}: its hypnogram and true leg movements) as the events the
 * pipeline would publish, one list per part of the night the dashboard keeps ({@link Part}): a stage event per epoch;
 * a leg movement per movement (its id as inference makes it, {@code bed:SIDE:onsetSample}); an LM update per movement
 * (a series update when periodic); an alert and its acknowledgement every 30 minutes; the study's admission,
 * lights-off and (at the end) lights-on. Each event comes back from its topic's serde, as the dashboard's feed reads
 * it. Deterministic for a bed and seed.
 */
final class SyntheticNight {
    /** The parts of a night, in the order the benchmark applies them. */
    enum Part { STAGES, LEG_MOVEMENTS, SCORED_LMS, ALERTS, STUDY_MARKS }

    static final Instant START = Instant.parse("2026-12-07T22:00:00Z");
    private static final Provenance STAGER = Provenance.model("stager-features-welch-gru-v3",
            "5f0c1c3d9b7e4a2f8d6c0b1a9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d", "CPU");

    private final String bed;
    private final long seed;
    private final int epochs;

    SyntheticNight(String bed, long seed, int epochs) {
        this.bed = bed;
        this.seed = seed;
        this.epochs = epochs;
    }

    /** The events of one part of the night, each as read back from its topic. */
    List<Object> events(Part part) {
        return switch (part) {
            case STAGES -> stages();
            case LEG_MOVEMENTS -> movements(false);
            case SCORED_LMS -> movements(true);
            case ALERTS -> alerts();
            case STUDY_MARKS -> study();
        };
    }

    private List<Object> stages() {
        List<Stage> hypnogram = new SyntheticAmplifier(bed, seed, START).hypnogram();
        List<Object> out = new ArrayList<>(epochs);
        for (int i = 0; i < epochs; i++) {
            Instant s = START.plusSeconds(30L * i);
            Stage st = hypnogram.get(Math.min(i, hypnogram.size() - 1));
            List<Double> p = new ArrayList<>(List.of(0.04, 0.03, 0.05, 0.06, 0.02));
            p.set(Stage.SCORED.indexOf(st), 0.8);
            out.add(read(Topics.STAGE_EVENTS, new StageEvent(bed, i, s, s.plusSeconds(30), st, p, false, null, Set.of(), STAGER,
                    s.plusSeconds(30).plusMillis(140), 140, Micros.of(s.plusSeconds(30)))));
        }
        return out;
    }

    /** Leg movements ({@code plm} false) or the LM updates plm-events.v1 gives for them ({@code plm} true). */
    private List<Object> movements(boolean plm) {
        double end = epochs * 30.0;
        List<Object> out = new ArrayList<>();
        long lm = 0;
        int series = 0;
        for (TrueLegMovement t : new SyntheticAmplifier(bed, seed, START).legMovements()) {
            if (t.offsetSeconds() > end) {
                break;
            }
            Instant on = START.plusMillis(Math.round(t.onsetSeconds() * 1000));
            Instant off = START.plusMillis(Math.round(t.offsetSeconds() * 1000));
            lm++;
            series += lm % 40 == 0 ? 1 : 0; // a new series id every 40 LMs
            if (!plm) {
                out.add(read(Topics.LEG_EVENTS, new LegMovementEvent(bed, bed + ":" + t.side() + ":" + Math.round(t.onsetSeconds() * 200),
                        t.side(), on, off, t.offsetSeconds() - t.onsetSeconds(), 42.5, Set.of(), Provenance.rules("WASM2016"),
                        off.plusMillis(900), 900)));
                continue;
            }
            String seriesId = t.periodicSeries() ? bed + "-series-" + series : null;
            List<Long> imi = List.of(lm, 3L, 5L, 8L, 13L, 21L, 8L, 5L, 3L, 1L);
            out.add(read(Topics.PLM_EVENTS, new PlmEvent(bed, "LM", "WASM2016", off.plusSeconds(1), on, off, t.side().name(), true, true,
                    seriesId, seriesId == null ? null : "OPEN", seriesId == null ? 0 : 4, lm, lm / 2, lm / 3, lm / 6, 2.5, 0.5, 3.0,
                    lm / 3.0, lm / 9.0, lm / 18.0, 0.4, imi, "unavailable")));
        }
        return out;
    }

    /** A technical alert every 30 minutes of night, each acknowledged a minute later. */
    private List<Object> alerts() {
        List<Object> out = new ArrayList<>();
        for (int k = 0; k < epochs / 60; k++) {
            Instant at = START.plusSeconds(1800L * k + 900);
            String id = bed + "-alert-" + k;
            out.add(read(Topics.ALERTS, new Alert(id, bed, false, "ELECTRODE_OFF", AlertPriority.MEDIUM, AlertState.ACTIVE,
                    "electrode off on " + bed, at, at, null, null)));
            out.add(read(Topics.ALERT_ACTIONS, new AlertAction(id, bed, AlertAction.ACKNOWLEDGE, "nurse", at.plusSeconds(60), 0, null)));
        }
        return out;
    }

    private List<Object> study() {
        Instant end = START.plusSeconds(30L * epochs);
        return List.of(
                read(Topics.STUDY_EVENTS, new StudyEvent("adm-" + bed, bed, "S-" + bed, StudyEventType.ADMITTED, "tech",
                        START.minusSeconds(600), START.minusSeconds(600),
                        new Admission("P-" + (1000 + seed), StudyProtocol.PLM_STUDY, "WASM2016", Population.ADULT), null, null)),
                read(Topics.STUDY_EVENTS, new StudyEvent("off-" + bed, bed, "S-" + bed, StudyEventType.LIGHTS_OFF, "nurse",
                        START, START, null, null, null)),
                read(Topics.STUDY_EVENTS, new StudyEvent("on-" + bed, bed, "S-" + bed, StudyEventType.LIGHTS_ON, "nurse",
                        end, end, null, null, null)));
    }

    private static <V> V read(Topic<String, V> topic, V v) {
        byte[] wire = topic.valueSerde().serializer().serialize(topic.name(), v);
        return topic.valueSerde().deserializer().deserialize(topic.name(), wire);
    }
}
