package org.hypnostream.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.hypnostream.common.event.Alert;
import org.hypnostream.common.event.AlertPriority;
import org.hypnostream.common.event.AlertState;
import org.hypnostream.common.event.BedInfo;
import org.hypnostream.common.event.LegMovementEvent;
import org.hypnostream.common.event.LegSide;
import org.hypnostream.common.event.PlmEvent;
import org.hypnostream.common.event.Provenance;
import org.hypnostream.common.event.Stage;
import org.hypnostream.common.event.StageEvent;
import org.hypnostream.common.wire.Epoch;
import org.hypnostream.common.wire.QualityFlag;

/** A small synthetic producer of well-formed events (the shapes inference and stream-processor emit). */
public final class TestEvents {
    public static final Instant START = Instant.parse("2026-11-20T22:00:00Z");
    private static final Provenance STAGER = Provenance.model("seed-stager", "ab".repeat(32), "CPU");
    private static final List<Stage> CYCLE = List.of(Stage.W, Stage.N1, Stage.N2, Stage.N2, Stage.N3, Stage.N3, Stage.N2, Stage.REM);

    private TestEvents() {
    }

    public static BedInfo bed(String bed, String ward) {
        return new BedInfo(bed, ward, "Bed " + bed.replaceAll("\\D", ""), START, List.of("Fpz-Cz", "Pz-Oz", "EOG", "LAT", "RAT"), "WASM2016");
    }

    /** Epoch {@code i}: a plausible cycle; every 13th epoch UNSCORED with a reason. */
    public static StageEvent stage(String bed, long i) {
        Instant s = START.plus(Duration.ofSeconds(30 * i));
        if (i % 13 == 12) {
            return new StageEvent(bed, i, s, s.plusSeconds(30), Stage.UNSCORED, List.of(), false, "electrode off",
                    Set.of(QualityFlag.FLAT), STAGER, s.plusSeconds(31), 900, 0);
        }
        Stage st = CYCLE.get((int) ((i / 3) % CYCLE.size()));
        double[] p = {0.05, 0.05, 0.05, 0.05, 0.05};
        p[Stage.SCORED.indexOf(st)] = 0.8;
        return new StageEvent(bed, i, s, s.plusSeconds(30), st, List.of(p[0], p[1], p[2], p[3], p[4]), false, null,
                Set.of(), STAGER, s.plusSeconds(31), 800, 0);
    }

    public static LegMovementEvent leg(String bed, LegSide side, double onsetSeconds) {
        Instant on = START.plusMillis((long) (onsetSeconds * 1000));
        return new LegMovementEvent(bed, bed + "-" + side + "-" + (long) (onsetSeconds * 200), side, on, on.plusMillis(1500), 1.5, 40,
                Set.of(), Provenance.rules("WASM2016"), on.plusSeconds(3), 100);
    }

    public static PlmEvent plm(String bed, String seriesId, String state, double onsetSeconds, int length, long lmCount, double plmsIndex) {
        Instant on = START.plusMillis((long) (onsetSeconds * 1000));
        return new PlmEvent(bed, "SERIES", "WASM2016", on.plusSeconds(2), on, on.plusMillis(1500), "LEFT", true, true, seriesId, state,
                length, lmCount, length, length, 0, 1.0, 0.1, 1.1, lmCount / 1.1, plmsIndex, 0, 0.5, List.of(), "unavailable");
    }

    /** A 100-Hz epoch: 10-Hz alpha of 40 µV plus slower waves on three channels; NaN gap in the last second if asked. */
    public static Epoch epoch(String bed, long i, boolean gap) {
        float[][] x = new float[3][3000];
        for (int c = 0; c < 3; c++) {
            for (int t = 0; t < 3000; t++) {
                x[c][t] = (float) (40 * Math.sin(2 * Math.PI * 10 * t / 100.0 + c) + 25 * Math.sin(2 * Math.PI * 1.5 * t / 100.0)
                        + 5 * Math.sin(2 * Math.PI * 23 * t / 100.0 + i));
            }
            if (gap) {
                java.util.Arrays.fill(x[c], 2900, 3000, Float.NaN);
            }
        }
        return new Epoch(bed, i, START.getEpochSecond() * 1_000_000L, 100, List.of("Fpz-Cz", "Pz-Oz", "EOG"), x,
                gap ? Set.of(QualityFlag.GAP) : Set.of(), 0);
    }

    public static Alert alert(String bed, String id, AlertPriority prio, String code) {
        Instant at = START.plusSeconds(600);
        return new Alert(id, bed, true, code, prio, AlertState.ACTIVE, code + " on " + bed, at, at, null, null);
    }

    /** Needle-EMG screening events as the inference EMG lane emits them: [WINDOW, RECORDING] for one window. */
    public static List<org.hypnostream.common.event.NeuromuscularEvent> emgWindow(String bed, String recording, long i,
            double pAls, double meanAls, boolean last) {
        Provenance p = Provenance.model("emg-alsnet-v2", "cd".repeat(32), "CPU");
        List<String> classes = List.of("ALS", "myopathy", "normal");
        double rest = (1 - pAls) / 2;
        double meanRest = (1 - meanAls) / 2;
        Instant at = START.plusSeconds(i);
        return List.of(
                new org.hypnostream.common.event.NeuromuscularEvent(bed, recording, "WINDOW", i, i + 1, classes,
                        List.of(pAls, rest, rest), pAls >= rest ? "ALS" : "myopathy", Math.max(pAls, rest), false, p, at, 40),
                new org.hypnostream.common.event.NeuromuscularEvent(bed, recording, "RECORDING", i, i + 1, classes,
                        List.of(meanAls, meanRest, meanRest), meanAls >= meanRest ? "ALS" : "myopathy",
                        Math.max(meanAls, meanRest), last, p, at, 40));
    }

    /** A 1-s needle-EMG segment (spiky sine, µV) as the spine cuts it. */
    public static org.hypnostream.common.wire.EmgSegment emgSegment(String bed, String recording, long i) {
        float[] x = new float[23436];
        for (int k = 0; k < x.length; k++) {
            x[k] = (float) (50 * Math.sin(k / 40.0) + (k % 2000 == 0 ? 800 : 0));
        }
        return new org.hypnostream.common.wire.EmgSegment(bed, recording, i, 0, 23437.5, x, Set.of(), false, 0);
    }
}
