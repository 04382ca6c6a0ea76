package org.hypnostream.bench.load;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import org.hypnostream.common.event.JsonCodec;
import org.hypnostream.common.event.LegMovementEvent;
import org.hypnostream.common.event.PlmEvent;
import org.hypnostream.common.event.Provenance;
import org.hypnostream.common.event.Stage;
import org.hypnostream.common.event.StageEvent;
import org.hypnostream.common.time.Micros;
import org.hypnostream.common.topic.Topic;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.common.wire.Epoch;
import org.hypnostream.dashboard.eeg.EegFrame;
import org.hypnostream.dashboard.eeg.EegPanel;
import org.hypnostream.dashboard.night.WardState;
import org.hypnostream.ingest.source.SyntheticAmplifier;
import org.hypnostream.ingest.source.TrueLegMovement;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hypnostream bench night-heap}: what the dashboard holds per bed after N hours of night, without a broker.
 * Each bed's synthetic night ({@link SyntheticAmplifier}: its hypnogram and true leg movements) becomes the events the
 * pipeline would publish (a stage event per epoch, a leg-movement and an LM update per movement, a series update per
 * periodic one), each through its topic's serde as the dashboard's feed reads it, applied to a {@link WardState};
 * and the newest {@link EegPanel#KEEP_EPOCHS} + 1 EEG frames per bed go to an {@link EegPanel}. Reports heap after GC
 * before and after each, per bed. The events are shaped like the pipeline's, not taken from it: a pipeline run
 * ({@code bench pipeline}) is where the whole JVM is measured.
 */
@Command(name = "night-heap", mixinStandardHelpOptions = true,
        description = "Heap the dashboard keeps per bed after --hours of synthetic night (ward state and EEG panel), no broker.")
final class BenchNightHeapCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--beds", defaultValue = "100", description = "Beds (default ${DEFAULT-VALUE}).")
    int beds;

    @Option(names = "--hours", defaultValue = "8", description = "Hours of night per bed, 0.5-8 (default ${DEFAULT-VALUE}).")
    double hours;

    @Option(names = "--json", description = "Print one JSON object instead of the text summary.")
    boolean json;

    private static final Instant START = Instant.parse("2026-12-07T22:00:00Z");
    private static final Provenance STAGER = Provenance.model("stager-features-welch-gru-v3",
            "5f0c1c3d9b7e4a2f8d6c0b1a9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d", "CPU");

    @Override
    public Integer call() {
        if (beds < 1 || beds > 2000 || !(hours >= 0.5 && hours <= 8)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "bench night-heap: --beds must be 1-2000 and --hours 0.5-8, got "
                    + beds + " and " + hours);
        }
        long base = heapAfterGc();
        WardState ward = new WardState(java.time.InstantSource.system());
        int epochs = (int) Math.round(hours * 120);
        long events = 0;
        for (int b = 0; b < beds; b++) {
            events += night(ward, "bed-" + (b + 1), b + 1L, epochs);
        }
        long withWard = heapAfterGc();
        EegPanel panel = new EegPanel();
        Random r = new Random(7);
        for (int b = 0; b < beds; b++) {
            for (int i = Math.max(0, epochs - EegPanel.KEEP_EPOCHS - 1); i < epochs; i++) {
                panel.add(EegFrame.from(epoch("bed-" + (b + 1), i, r)));
            }
        }
        long withPanel = heapAfterGc();
        ObjectNode out = JsonCodec.mapper().createObjectNode();
        out.put("kind", "night-heap");
        out.put("beds", beds);
        out.put("hours", hours);
        out.put("events_applied", events);
        out.put("ward_state_mib", LatencyStats.round((withWard - base) / 1048576.0));
        out.put("ward_state_per_bed_kib", LatencyStats.round((withWard - base) / 1024.0 / beds));
        out.put("eeg_panel_mib", LatencyStats.round((withPanel - withWard) / 1048576.0));
        out.put("eeg_panel_per_bed_kib", LatencyStats.round((withPanel - withWard) / 1024.0 / beds));
        out.put("beds_kept", ward.beds().size());
        java.lang.ref.Reference.reachabilityFence(panel);
        System.out.println(json ? out.toString() : String.format("night-heap: %d beds x %.1f h: ward state %.1f KiB per bed, "
                + "EEG panel %.1f KiB per bed (%d events)", beds, hours, out.get("ward_state_per_bed_kib").asDouble(),
                out.get("eeg_panel_per_bed_kib").asDouble(), events));
        return 0;
    }

    /** Applies one bed's night of events; returns how many. */
    private static long night(WardState ward, String bed, long seed, int epochs) {
        SyntheticAmplifier amp = new SyntheticAmplifier(bed, seed, START);
        List<Stage> hypnogram = amp.hypnogram();
        long n = 0;
        for (int i = 0; i < epochs; i++) {
            Instant s = START.plusSeconds(30L * i);
            Stage st = hypnogram.get(Math.min(i, hypnogram.size() - 1));
            List<Double> p = new ArrayList<>(List.of(0.04, 0.03, 0.05, 0.06, 0.02));
            p.set(Stage.SCORED.indexOf(st), 0.8);
            n += apply(ward, Topics.STAGE_EVENTS, new StageEvent(bed, i, s, s.plusSeconds(30), st, p, false, null, Set.of(), STAGER,
                    s.plusSeconds(30).plusMillis(140), 140, Micros.of(s.plusSeconds(30))));
        }
        double end = epochs * 30.0;
        long lm = 0;
        int series = 0;
        for (TrueLegMovement t : amp.legMovements()) {
            if (t.offsetSeconds() > end) {
                break;
            }
            Instant on = START.plusMillis(Math.round(t.onsetSeconds() * 1000));
            Instant off = START.plusMillis(Math.round(t.offsetSeconds() * 1000));
            n += apply(ward, Topics.LEG_EVENTS, new LegMovementEvent(bed, bed + "-" + t.side() + "-" + Math.round(t.onsetSeconds() * 200),
                    t.side(), on, off, t.offsetSeconds() - t.onsetSeconds(), 42.5, Set.of(), Provenance.rules("WASM2016"),
                    off.plusMillis(900), 900));
            lm++;
            series += lm % 40 == 0 ? 1 : 0; // a new series id every 40 LMs
            String seriesId = t.periodicSeries() ? bed + "-series-" + series : null;
            List<Long> imi = List.of(lm, 3L, 5L, 8L, 13L, 21L, 8L, 5L, 3L, 1L);
            n += apply(ward, Topics.PLM_EVENTS, new PlmEvent(bed, "LM", "WASM2016", off.plusSeconds(1), on, off, t.side().name(), true, true,
                    seriesId, seriesId == null ? null : "OPEN", seriesId == null ? 0 : 4, lm, lm / 2, lm / 3, lm / 6, 2.5, 0.5, 3.0,
                    lm / 3.0, lm / 9.0, lm / 18.0, 0.4, imi, "unavailable"));
        }
        return n;
    }

    private static <V> int apply(WardState ward, Topic<String, V> topic, V v) {
        byte[] wire = topic.valueSerde().serializer().serialize(topic.name(), v);
        return ward.apply(topic.valueSerde().deserializer().deserialize(topic.name(), wire)).isPresent() ? 1 : 0;
    }

    /** An EEG epoch as the spine publishes the synthetic amplifier's: the stager's 3 channels at 100 Hz. */
    private static final List<String> CHANNELS = List.of("Fpz-Cz", "Pz-Oz", "EOG");

    private static Epoch epoch(String bed, long i, Random r) {
        float[][] x = new float[CHANNELS.size()][3000];
        for (float[] ch : x) {
            for (int k = 0; k < ch.length; k++) {
                ch[k] = (float) (r.nextGaussian() * 20 + 30 * Math.sin(k * 0.6));
            }
        }
        return new Epoch(bed, i, Micros.of(START), 100, CHANNELS, x, Set.of(), 0);
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
