package org.hypnostream.bench.load;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import org.hypnostream.common.event.JsonCodec;
import org.hypnostream.common.time.Micros;
import org.hypnostream.common.wire.Epoch;
import org.hypnostream.dashboard.eeg.EegFrame;
import org.hypnostream.dashboard.eeg.EegPanel;
import org.hypnostream.dashboard.night.WardState;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hypnostream bench night-heap}: what the dashboard holds per bed after N hours of night, without a broker.
 * Each bed's synthetic night ({@link SyntheticNight}) becomes the events the pipeline would publish, each through its
 * topic's serde as the dashboard's feed reads it, applied to a {@link WardState} one part of the night at a time for
 * every bed (stages, leg movements, scored LMs, alerts, study marks: heap after GC after each part, so each part's
 * cost per bed and per event is reported);
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

    private static final Instant START = SyntheticNight.START;

    @Override
    public Integer call() {
        if (beds < 1 || beds > 2000 || !(hours >= 0.5 && hours <= 8)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "bench night-heap: --beds must be 1-2000 and --hours 0.5-8, got "
                    + beds + " and " + hours);
        }
        long base = heapAfterGc();
        WardState ward = new WardState(java.time.InstantSource.system());
        int epochs = (int) Math.round(hours * 120);
        ObjectNode parts = JsonCodec.mapper().createObjectNode();
        long events = 0;
        long before = base;
        for (SyntheticNight.Part part : SyntheticNight.Part.values()) {
            long applied = 0;
            for (int b = 0; b < beds; b++) {
                applied += apply(ward, new SyntheticNight("bed-" + (b + 1), b + 1L, epochs).events(part));
            }
            long after = heapAfterGc();
            ObjectNode o = parts.putObject(part.name().toLowerCase(java.util.Locale.ROOT));
            o.put("events_applied", applied);
            o.put("per_bed_kib", LatencyStats.round((after - before) / 1024.0 / beds));
            o.put("bytes_per_event", applied == 0 ? 0 : LatencyStats.round((after - before) / (double) applied));
            events += applied;
            before = after;
        }
        long withWard = before;
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
        out.set("ward_state_parts", parts);
        out.put("eeg_panel_mib", LatencyStats.round((withPanel - withWard) / 1048576.0));
        out.put("eeg_panel_per_bed_kib", LatencyStats.round((withPanel - withWard) / 1024.0 / beds));
        out.put("beds_kept", ward.beds().size());
        java.lang.ref.Reference.reachabilityFence(panel);
        System.out.println(json ? out.toString() : String.format("night-heap: %d beds x %.1f h: ward state %.1f KiB per bed, "
                + "EEG panel %.1f KiB per bed (%d events)", beds, hours, out.get("ward_state_per_bed_kib").asDouble(),
                out.get("eeg_panel_per_bed_kib").asDouble(), events));
        return 0;
    }

    /** Applies a bed's events of one part; returns how many changed the night. */
    private static long apply(WardState ward, List<Object> events) {
        long n = 0;
        for (Object e : events) {
            n += ward.apply(e).isPresent() ? 1 : 0;
        }
        return n;
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
