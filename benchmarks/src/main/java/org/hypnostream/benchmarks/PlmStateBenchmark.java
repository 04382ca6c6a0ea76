package org.hypnostream.benchmarks;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.hypnostream.common.event.AlertAction;
import org.hypnostream.common.event.AlertPriority;
import org.hypnostream.common.event.JsonCodec;
import org.hypnostream.common.event.LegMovementEvent;
import org.hypnostream.common.event.LegSide;
import org.hypnostream.common.event.Provenance;
import org.hypnostream.common.event.Stage;
import org.hypnostream.common.event.StageEvent;
import org.hypnostream.common.study.Admission;
import org.hypnostream.common.study.Population;
import org.hypnostream.common.study.StudyEvent;
import org.hypnostream.common.study.StudyEventType;
import org.hypnostream.common.study.StudyProtocol;
import org.hypnostream.common.time.Micros;
import org.hypnostream.stream.plm.AlarmPolicy;
import org.hypnostream.stream.plm.BedAlarms;
import org.hypnostream.stream.plm.BedPlmState;
import org.hypnostream.stream.plm.PlmConfig;
import org.hypnostream.stream.plm.PlmScorer;
import org.hypnostream.stream.plm.PlmStateCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What the PLM topology's two stores cost per input record (issue 19, ADR 0031): every record reads and writes the
 * bed's {@link BedPlmState} and {@link BedAlarms}. {@code json} = main's serdes ({@code JsonCodec}), {@code binary} =
 * {@link PlmStateCodec}; each op decodes and re-encodes both values of one bed as they stand {@code hours} into a
 * synthetic night scored by the real {@link PlmScorer} and {@link AlarmPolicy} (the per-record work PlmProcessor does,
 * without Kafka). {@link #main} prints the bytes per value at 0 (first 2 epochs), 1 and 8 hours.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PlmStateBenchmark {
    static final String BED = "bed-1";
    static final Instant START = Instant.parse("2026-03-01T22:00:00Z");

    @Param({"0", "1", "8"})
    public int hours;

    byte[] bedJson;
    byte[] alarmsJson;
    byte[] bedBinary;
    byte[] alarmsBinary;

    @Setup
    public void setup() {
        Night n = Night.until(hours);
        bedJson = JsonCodec.toBytes(n.bed);
        alarmsJson = JsonCodec.toBytes(n.alarms);
        bedBinary = PlmStateCodec.encode(n.bed);
        alarmsBinary = PlmStateCodec.encode(n.alarms);
    }

    @Benchmark
    public int json() {
        BedPlmState s = JsonCodec.fromBytes(bedJson, BedPlmState.class);
        BedAlarms a = JsonCodec.fromBytes(alarmsJson, BedAlarms.class);
        return JsonCodec.toBytes(s).length + JsonCodec.toBytes(a).length;
    }

    @Benchmark
    public int binary() {
        BedPlmState s = PlmStateCodec.decodeBed(bedBinary);
        BedAlarms a = PlmStateCodec.decodeAlarms(alarmsBinary);
        return PlmStateCodec.encode(s).length + PlmStateCodec.encode(a).length;
    }

    /**
     * Bytes per value, JSON and binary, along the synthetic night. {@code profile N}: instead, scores the 8-hour night
     * N times with the binary store round trip of both values on every record, as PlmProcessor does (for a JFR
     * recording of where the PLM work goes without Kafka).
     */
    public static void main(String[] args) {
        if (args.length == 2 && args[0].equals("profile")) {
            long bytes = 0;
            for (int i = 0; i < Integer.parseInt(args[1]); i++) {
                Night n = new Night();
                n.roundTrip = true;
                n.run(960);
                bytes += n.storedBytes;
            }
            System.out.println("stored bytes " + bytes);
            return;
        }
        if (args.length == 1 && args[0].equals("cpu")) {
            cpuPerRecord();
            return;
        }
        System.out.println("hours  records  plm-bed-state json/binary  plm-alarm-state json/binary");
        for (int h : new int[] {0, 1, 8}) {
            Night n = Night.until(h);
            System.out.printf("%5d  %7d  %10d / %-10d  %10d / %d%n", h, n.records, JsonCodec.toBytes(n.bed).length,
                    PlmStateCodec.encode(n.bed).length, JsonCodec.toBytes(n.alarms).length,
                    PlmStateCodec.encode(n.alarms).length);
        }
    }

    /**
     * Thread CPU time (not wall time: less disturbed by other processes on a shared machine) per record of
     * {@link #json} and {@link #binary}, interleaved rounds after a warm-up, the best of 7 rounds per codec.
     */
    static void cpuPerRecord() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        System.out.println("hours  json us/record  binary us/record  json/binary (thread CPU, best of 7 rounds)");
        for (int h : new int[] {0, 1, 8}) {
            PlmStateBenchmark b = new PlmStateBenchmark();
            b.hours = h;
            b.setup();
            int ops = h == 0 ? 20_000 : h == 1 ? 4_000 : 1_000;
            long sink = 0;
            double bestJson = Double.MAX_VALUE;
            double bestBinary = Double.MAX_VALUE;
            for (int round = 0; round < 10; round++) {
                long t0 = mx.getCurrentThreadCpuTime();
                for (int i = 0; i < ops; i++) {
                    sink += b.json();
                }
                long t1 = mx.getCurrentThreadCpuTime();
                for (int i = 0; i < ops; i++) {
                    sink += b.binary();
                }
                long t2 = mx.getCurrentThreadCpuTime();
                if (round >= 3) { // the first three rounds warm the JIT up
                    bestJson = Math.min(bestJson, (t1 - t0) / 1e3 / ops);
                    bestBinary = Math.min(bestBinary, (t2 - t1) / 1e3 / ops);
                }
            }
            System.out.printf("%5d  %14.1f  %16.1f  %6.1f   (%d)%n", h, bestJson, bestBinary, bestJson / bestBinary, sink % 7);
        }
    }

    /**
     * One bed's night through {@link PlmScorer} and {@link AlarmPolicy} as PlmProcessor drives them: an adult AASM
     * study, lights-off at 7.5 min, 80-epoch sleep cycles ending in a 3-min wake run, periodic left-leg movements
     * every 24 s in two cycles out of three (every 7th with the right leg), a leg window every 12 s (a flat left
     * channel now and then), an acknowledgement every 100 min; the same night as stream-processor's test
     * {@code SyntheticPlmNight}.
     */
    static final class Night {
        final PlmConfig cfg = PlmConfig.defaults();
        final PlmScorer scorer = new PlmScorer(cfg);
        Instant now = START;
        final AlarmPolicy policy = new AlarmPolicy(() -> now, cfg.alarmCapPerHour());
        BedPlmState bed = new BedPlmState();
        BedAlarms alarms = new BedAlarms();
        long records;
        /** Whether every record decodes and re-encodes both values (the store round trip of PlmProcessor). */
        boolean roundTrip;
        long storedBytes;
        private byte[] bedBytes;
        private byte[] alarmBytes;

        private void load() {
            if (roundTrip && bedBytes != null) {
                bed = PlmStateCodec.decodeBed(bedBytes);
                alarms = PlmStateCodec.decodeAlarms(alarmBytes);
            }
        }

        private void store() {
            if (roundTrip) {
                bedBytes = PlmStateCodec.encode(bed);
                alarmBytes = PlmStateCodec.encode(alarms);
                storedBytes += bedBytes.length + alarmBytes.length;
            }
        }

        static Night until(int hours) {
            Night n = new Night();
            n.run(hours == 0 ? 2 : hours * 120);
            return n;
        }

        static Stage stageOf(long e) {
            if (e < 20) {
                return Stage.W;
            }
            int c = (int) ((e - 20) % 80);
            return c < 4 ? Stage.N1 : c < 34 ? Stage.N2 : c < 54 ? Stage.N3 : c < 74 ? Stage.REM : Stage.W;
        }

        static Instant at(double s) {
            return START.plusNanos(Math.round(s * 1e9));
        }

        void run(int epochs) {
            study(StudyEventType.ADMITTED, -60);
            study(StudyEventType.LIGHTS_OFF, 450);
            long window = 0;
            for (long e = 0; e < epochs; e++) {
                double t0 = 30.0 * e;
                boolean periodic = stageOf(e).isSleep() && ((e - 20) / 80) % 3 != 2;
                if (periodic) {
                    for (double t = t0 + (e % 2) * 6; t < t0 + 30; t += 24) {
                        leg(LegSide.LEFT, t, t + 1.5);
                        if (((long) t / 24) % 7 == 0) {
                            leg(LegSide.RIGHT, t + 0.4, t + 2.0);
                        }
                    }
                } else if (e % 5 == 0) {
                    leg(LegSide.RIGHT, t0 + 11, t0 + 13);
                }
                for (; window * 12.0 < t0 + 30; window++) {
                    legWindow(window, window % 97 == 50);
                }
                now = at(t0 + 31);
                load();
                scorer.onStage(bed, new StageEvent(BED, e, at(t0), at(t0 + 30), stageOf(e), List.of(), false, null,
                        Set.of(), Provenance.model("stager", "abc", "CPU"), now, 10, 0), now);
                afterScoring();
                if (e % 200 == 199) {
                    records++; // an acknowledgement: the alarm state only
                    policy.apply(alarms, new AlertAction(BED + ":unknown:" + e, BED, AlertAction.ACKNOWLEDGE,
                            "nurse.jones", at(t0 + 32), 0, "checked the electrodes"));
                }
            }
        }

        private void study(StudyEventType type, double s) {
            now = at(s + 5);
            load();
            scorer.onStudy(bed, new StudyEvent(type + ":" + s, BED, "S1", type, "tech", now, at(s),
                    type == StudyEventType.ADMITTED ? new Admission("P-0042", StudyProtocol.PLM_STUDY, "AASM", Population.ADULT)
                            : null, null, null), now);
            afterScoring();
        }

        private void leg(LegSide side, double onset, double offset) {
            now = at(offset + 1.5);
            load();
            scorer.onLegEvent(bed, new LegMovementEvent(BED, BED + ":" + side + ":" + Math.round(onset * 200), side,
                    at(onset), at(offset), offset - onset, 40.0, Set.of(), Provenance.rules("WASM2016-rules-v1"), now, 5), now);
            afterScoring();
        }

        private void legWindow(long index, boolean leftFlat) {
            now = at(index * 12.0 + 24.5);
            load();
            scorer.advance(bed, BED, Micros.of(START) + Math.round(index * 12e6) + 24_005_000L, now);
            alarms.lastDataMicros = Micros.of(now);
            policy.update(alarms, BED, "STREAM_STALLED", "STREAM_STALLED", false, AlertPriority.MEDIUM,
                    "no data from the bed", false);
            for (String side : new String[] {"LEFT", "RIGHT"}) {
                boolean flat = side.equals("LEFT") && leftFlat;
                String leg = side.equals("LEFT") ? "left" : "right";
                policy.update(alarms, BED, "LEG_CHANNEL_DISCONNECTED:" + side, "LEG_CHANNEL_DISCONNECTED", false,
                        AlertPriority.LOW, leg + " leg EMG missing or disconnected: no leg movements scored on it", false);
                policy.update(alarms, BED, "LEG_CHANNEL_FLAT:" + side, "LEG_CHANNEL_FLAT", false, AlertPriority.LOW,
                        leg + " leg EMG flat (electrode off or amplifier stuck): no leg movements scored on it", flat);
                policy.update(alarms, BED, "LEG_CHANNEL_SATURATED:" + side, "LEG_CHANNEL_SATURATED", false,
                        AlertPriority.LOW, leg + " leg EMG saturated: no leg movements scored on it", false);
            }
            afterScoring();
        }

        private void afterScoring() {
            records++;
            double idx = scorer.rollingPlmsIndex(bed);
            double threshold = scorer.alarmThreshold(bed);
            String msg = String.format(java.util.Locale.ROOT,
                    "PLMS index %.1f/h over the last %d min of sleep (threshold %.1f/h); a finding, not a diagnosis",
                    Double.isNaN(idx) ? 0.0 : idx, cfg.alarmWindowMinutes(), threshold);
            policy.update(alarms, BED, "PLMS_INDEX_HIGH", "PLMS_INDEX_HIGH", true, cfg.alarmPriority(), msg,
                    !Double.isNaN(idx) && idx > threshold);
            store();
        }
    }
}
