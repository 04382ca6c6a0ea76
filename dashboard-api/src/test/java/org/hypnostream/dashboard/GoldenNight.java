package org.hypnostream.dashboard;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.hypnostream.common.event.Alert;
import org.hypnostream.common.event.AlertAction;
import org.hypnostream.common.event.AlertPriority;
import org.hypnostream.common.event.AlertState;
import org.hypnostream.common.event.BedInfo;
import org.hypnostream.common.event.LegMovementEvent;
import org.hypnostream.common.event.LegSide;
import org.hypnostream.common.event.PlmEvent;
import org.hypnostream.common.event.Provenance;
import org.hypnostream.common.event.RevisedHypnogram;
import org.hypnostream.common.event.Stage;
import org.hypnostream.common.event.StageEvent;
import org.hypnostream.common.study.Admission;
import org.hypnostream.common.study.Population;
import org.hypnostream.common.study.StudyEvent;
import org.hypnostream.common.study.StudyEventType;
import org.hypnostream.common.study.StudyProtocol;
import org.hypnostream.common.wire.QualityFlag;

/**
 * A two-hour night of one bed delivered the hard way, for the golden comparison of what the dashboard serves
 * ({@link CompactNightGoldenTest}): 240 epochs with full-precision probabilities, UNSCORED and prior-only epochs with
 * their reasons, gap flags, a model change half-way (another provenance); leg movements on both legs (two without a
 * movement id) and their LM updates with PLM series; alerts and acknowledgements; the study's marks and a morning
 * re-score of a stretch. Delivered out of order (shuffled in blocks of 5), every 9th event delivered twice (a fresh
 * copy), and epochs 100-129 scored a second time with other stages (a re-emission replacing the first). Seeded:
 * the same list every run.
 */
public final class GoldenNight {
    public static final String BED = "bed-g1";
    public static final Instant START = TestEvents.START;
    public static final int EPOCHS = 240;
    private static final Provenance CPU = Provenance.model("seed-stager", "ab".repeat(32), "CPU");
    private static final Provenance CUDA = Provenance.model("seed-stager-2", "cd".repeat(32), "CUDA");
    private static final Provenance RULES = Provenance.rules("WASM2016");

    private GoldenNight() {
    }

    /** Every event in delivery order. */
    public static List<Object> events() {
        Random r = new Random(42);
        List<Object> night = new ArrayList<>();
        for (int i = 0; i < EPOCHS; i++) {
            night.add(stage(i, r, false));
        }
        for (int k = 0; k < 120; k++) {
            night.addAll(movement(k, r));
        }
        for (int k = 0; k < 4; k++) {
            Instant at = START.plusSeconds(1800L * k + 900);
            night.add(new Alert(BED + "-a" + k, BED, k % 2 == 0, "ELECTRODE_OFF", AlertPriority.MEDIUM, AlertState.ACTIVE,
                    "electrode off", at, at, null, null));
            night.add(new AlertAction(BED + "-a" + k, BED, AlertAction.ACKNOWLEDGE, "nurse", at.plusSeconds(60), 0, null));
        }
        List<Object> out = new ArrayList<>();
        out.add(new BedInfo(BED, "ward-g", "Bed G1", START, List.of("Fpz-Cz", "Pz-Oz", "EOG"), "WASM2016"));
        out.add(new StudyEvent("adm", BED, "SG", StudyEventType.ADMITTED, "tech", START.minusSeconds(60), START.minusSeconds(60),
                new Admission("P-0007", StudyProtocol.PLM_STUDY, "WASM2016", Population.ADULT), null, null));
        out.add(new StudyEvent("off", BED, "SG", StudyEventType.LIGHTS_OFF, "nurse", START, START, null, null, null));
        for (int b = 0; b < night.size(); b += 5) {
            List<Object> block = new ArrayList<>(night.subList(b, Math.min(night.size(), b + 5)));
            Collections.shuffle(block, r);
            out.addAll(block);
        }
        for (int k = 0; k < night.size(); k += 9) {
            out.add(Math.min(out.size(), 3 + k + 20), night.get(k)); // re-delivered a little later
        }
        for (int i = 100; i < 130; i++) {
            out.add(stage(i, r, true));
        }
        Instant end = START.plusSeconds(30L * EPOCHS);
        out.add(new StudyEvent("on", BED, "SG", StudyEventType.LIGHTS_ON, "nurse", end, end, null, null, null));
        out.add(revised(150, 200, r));
        return out;
    }

    private static StageEvent stage(int i, Random r, boolean again) {
        Instant s = START.plusSeconds(30L * i);
        Provenance p = i < 120 ? CPU : CUDA;
        Instant produced = s.plusSeconds(30).plusMillis(again ? 5_000 + i : 140 + r.nextInt(50));
        if (i % 17 == 5 && !again) {
            return new StageEvent(BED, i, s, s.plusSeconds(30), Stage.UNSCORED, List.of(), false, "flat signal on " + (i % 3 == 0 ? "Fpz-Cz" : "EOG"),
                    Set.of(QualityFlag.FLAT), p, produced, 140, 1_000L * i);
        }
        List<Double> probs = probabilities(r);
        int best = 0;
        for (int k = 1; k < 5; k++) {
            best = probs.get(k) > probs.get(best) ? k : best;
        }
        boolean prior = i % 23 == 7;
        return new StageEvent(BED, i, s, s.plusSeconds(30), Stage.SCORED.get(best), probs, prior, prior ? "gap; stage predicted from prior epochs" : null,
                i % 11 == 3 ? Set.of(QualityFlag.GAP) : Set.of(), p, produced, again ? 5_000 : 140, 1_000L * i + 7);
    }

    private static List<Double> probabilities(Random r) {
        double[] p = new double[5];
        double sum = 0;
        for (int k = 0; k < 5; k++) {
            p[k] = Math.pow(r.nextDouble(), 3);
            sum += p[k];
        }
        List<Double> out = new ArrayList<>(5);
        for (double v : p) {
            out.add(v / sum);
        }
        return out;
    }

    /** A leg movement and its LM update (periodic series of 4-6 members every 30 movements). */
    private static List<Object> movement(int k, Random r) {
        LegSide side = k % 3 == 0 ? LegSide.RIGHT : LegSide.LEFT;
        double onset = 60 + k * 55.5 + r.nextInt(10) / 4.0;
        double duration = 0.5 + r.nextInt(20) / 4.0;
        Instant on = START.plusNanos((long) (onset * 1e9));
        Instant off = on.plusNanos((long) (duration * 1e9));
        String id = k == 17 || k == 71 ? null : BED + "-" + side + "-" + Math.round(onset * 200);
        LegMovementEvent leg = new LegMovementEvent(BED, id, side, on, off, duration, 20 + r.nextDouble() * 100,
                k % 13 == 0 ? Set.of(QualityFlag.CLIPPED) : Set.of(), RULES, off.plusMillis(900), 900);
        String series = k % 30 < 6 ? BED + "-s" + k / 30 : null;
        PlmEvent lm = new PlmEvent(BED, "LM", "WASM2016", off.plusSeconds(1), on, off, side.name(), true, true, series,
                series == null ? null : k % 30 < 3 ? "CANDIDATE" : "OPEN", series == null ? 0 : k % 30 + 1, k + 1, k / 2, k / 3,
                k / 6, 2.5, 0.5, 3.0, k / 3.0, k / 9.0, k / 18.0, 0.4, List.of(1L, 2L, 3L), "unavailable");
        return List.of(leg, lm);
    }

    private static RevisedHypnogram revised(int from, int until, Random r) {
        List<RevisedHypnogram.RevisedEpoch> epochs = new ArrayList<>();
        for (int i = from; i < until; i++) {
            Instant s = START.plusSeconds(30L * i);
            epochs.add(new RevisedHypnogram.RevisedEpoch(i, s, s.plusSeconds(30), i % 4 == 0 ? Stage.N3 : Stage.N2,
                    probabilities(r), false, null));
        }
        Instant end = START.plusSeconds(30L * EPOCHS);
        return new RevisedHypnogram(BED, "SG", "on", true, RevisedHypnogram.LABEL, START.plusSeconds(30L * from),
                START.plusSeconds(30L * until), Provenance.model("seed-stager-rev", "ef".repeat(32), "CPU"), end.plusSeconds(90), epochs);
    }
}
