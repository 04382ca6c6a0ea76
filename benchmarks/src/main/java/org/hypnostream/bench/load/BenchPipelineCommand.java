package org.hypnostream.bench.load;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.hypnostream.app.ConsumerLag;
import org.hypnostream.app.Demo;
import org.hypnostream.app.Stagger;
import org.hypnostream.common.config.ModelsFolder;
import org.hypnostream.common.event.JsonCodec;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.inference.service.InferenceConfig;
import org.hypnostream.stream.StreamProcessorApp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hypnostream bench pipeline}: N synthetic beds through the real stack in one JVM ({@link Demo}) with
 * websocket clients on the ward, then the raw Kafka ceiling of the same bytes on the same broker.
 */
@Command(name = "pipeline", mixinStandardHelpOptions = true,
        description = "Load run through broker, gateway+outbox, topologies, inference and dashboard websockets.")
final class BenchPipelineCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private static final Logger LOG = LoggerFactory.getLogger(BenchPipelineCommand.class);

    /**
     * Full collections per heap figure, the least kept ({@link ProcessMeter#heapAfterGcBytes(int)}): two, as many as the
     * single figure took before; the monitor's figure adds two more.
     */
    static final int HEAP_ROUNDS = 2;

    @Option(names = "--beds", defaultValue = "10", description = "Synthetic beds (default ${DEFAULT-VALUE}).")
    int beds;

    @Option(names = "--duration", defaultValue = "60", description = "Wall-clock seconds of load (default ${DEFAULT-VALUE}).")
    double durationSeconds;

    @Option(names = "--speed", defaultValue = "1", description = "Device seconds per wall second; 1 = real time (default ${DEFAULT-VALUE}).")
    double speed;

    @Option(names = "--clients", defaultValue = "4", description = "Websocket clients on the ward (default ${DEFAULT-VALUE}; dashboard allows 20 per user).")
    int clients;

    @Option(names = "--stagger", defaultValue = "30", description = "Spread the beds' starts evenly over this many seconds "
            + "(one epoch: epochs complete evenly, not in one burst); 0 = all in the same second (default ${DEFAULT-VALUE}).")
    double staggerSeconds;

    @Option(names = "--partitions", defaultValue = "4", description = "Partitions per topic (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--ceiling-seconds", defaultValue = "15", description = "Seconds of the raw Kafka ceiling run after the load, 0 = skip (default ${DEFAULT-VALUE}).")
    double ceilingSeconds;

    @Option(names = "--floor-seconds", defaultValue = "30", description = "Seconds of the null pipeline after the load (the same "
            + "three exactly-once hops, topics' partitions and block rate, no work): the latency floor the end-to-end "
            + "figures are compared with; 0 = skip (default ${DEFAULT-VALUE}).")
    double floorSeconds;

    @Option(names = "--idle-seconds", defaultValue = "0", description = "Seconds with every service up and no bed sending, "
            + "after the load: the fixed cost (idle_cpu_cores; idle: requests, records and commits per second, thread CPU); 0 = skip (default ${DEFAULT-VALUE}).")
    double idleSeconds;

    @Option(names = "--json", description = "Print one JSON object instead of the text summary.")
    boolean json;

    @Option(names = "--work-dir", description = "Where broker, outbox and state live (default: a new temp dir, deleted after).")
    Path workDir;

    @Option(names = "--retention-minutes", defaultValue = "0", description = "Wall minutes of retention on samples.v1, "
            + "eeg-epochs.v1 and leg-windows.v1, so a long run at high speed fits the disk; 0 = the broker's default "
            + "(7 days) (default ${DEFAULT-VALUE}).")
    int retentionMinutes;

    @Option(names = "--timeline", description = "Also write each lag sample to this file as a JSON line while the run goes on.")
    Path timelineFile;

    /** What one load run found. */
    record Outcome(ObjectNode json, boolean keptUp, boolean complete, double p99Millis, double ingestBytesPerSecond,
            double ceilingBytesPerSecond) {
    }

    @Override
    public Integer call() throws Exception {
        Run run;
        try {
            run = new Run(beds, durationSeconds, speed, clients, partitions, ceilingSeconds, workDir, Stagger.ofSeconds(staggerSeconds),
                    retentionMinutes, timelineFile, floorSeconds, idleSeconds, true);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "bench pipeline: " + e.getMessage());
        }
        Outcome o = run(run, System.err);
        System.out.println(json ? o.json().toString() : BenchText.pipeline(o.json()));
        return 0;
    }

    /**
     * One load run's settings.
     *
     * @param lightsOn whether the run ends with lights-on for every bed and waits (up to 300 s) for the morning
     *                 re-scores ({@code lights_on_rescore_s}); false: the demo marks nothing and the run waits only for
     *                 the live pipeline to catch up ({@code bench max-beds}' probes, ADR 0024)
     */
    record Run(int beds, double durationSeconds, double speed, int clients, int partitions, double ceilingSeconds,
            Path workDir, Stagger stagger, int retentionMinutes, Path timelineFile, double floorSeconds, double idleSeconds,
            boolean lightsOn) {
        /** Broker-default retention, no streamed timeline, no null pipeline, no idle span, lights-on at the end. */
        Run(int beds, double durationSeconds, double speed, int clients, int partitions, double ceilingSeconds,
                Path workDir, Stagger stagger) {
            this(beds, durationSeconds, speed, clients, partitions, ceilingSeconds, workDir, stagger, 0, null, 0, 0, true);
        }

        /** This run with {@code lightsOn} as given. */
        Run withLightsOn(boolean on) {
            return new Run(beds, durationSeconds, speed, clients, partitions, ceilingSeconds, workDir, stagger,
                    retentionMinutes, timelineFile, floorSeconds, idleSeconds, on);
        }

        Run {
            java.util.Objects.requireNonNull(stagger, "stagger");
            if (beds < 1 || beds > 10_000 || partitions < 1 || partitions > 1_000) {
                throw new IllegalArgumentException("--beds must be 1-10000 and --partitions 1-1000, got " + beds + " and " + partitions);
            }
            if (!(durationSeconds >= 5 && durationSeconds <= 86_400)) {
                throw new IllegalArgumentException("--duration must be 5-86400 s, got " + durationSeconds);
            }
            if (!(speed > 0 && speed <= 1000)) {
                throw new IllegalArgumentException("--speed must be > 0 and <= 1000 (real-time load needs pacing), got " + speed);
            }
            if (clients < 1 || clients > 20) {
                throw new IllegalArgumentException("--clients must be 1-20 (the dashboard's per-user socket limit), got " + clients);
            }
            if (ceilingSeconds < 0 || ceilingSeconds > 600) {
                throw new IllegalArgumentException("--ceiling-seconds must be 0-600, got " + ceilingSeconds);
            }
            if (!(floorSeconds >= 0 && floorSeconds <= 600)) {
                throw new IllegalArgumentException("--floor-seconds must be 0-600, got " + floorSeconds);
            }
            if (!(idleSeconds >= 0 && idleSeconds <= 600)) {
                throw new IllegalArgumentException("--idle-seconds must be 0-600, got " + idleSeconds);
            }
            if (retentionMinutes < 0 || retentionMinutes > 10_080) {
                throw new IllegalArgumentException("--retention-minutes must be 0-10080, got " + retentionMinutes);
            }
        }
    }

    static Outcome run(Run r, PrintStream progress) throws Exception {
        Path dir = r.workDir() != null ? r.workDir() : Files.createTempDirectory("hypnostream-bench-");
        try {
            return runIn(r, dir, progress);
        } finally {
            if (r.workDir() == null) {
                deleteQuietly(dir);
            }
        }
    }

    private static Outcome runIn(Run r, Path dir, PrintStream progress) throws Exception {
        Montage montage = Montage.measure();
        ProcessMeter meter = new ProcessMeter();
        double load0 = meter.loadAverage();
        Duration device = Duration.ofMillis(Math.round(r.durationSeconds() * r.speed() * 1000));
        String models = ModelsFolder.resolve().toString();
        Demo.Settings s = new Demo.Settings(r.beds(), r.speed(), device, List.of(), dir, r.partitions(), 0, 1L, Path.of(models),
                r.stagger(), r.lightsOn());
        progress.printf("bench pipeline: %d beds at %.3gx for %.0f s (%d websocket clients) ...%n", r.beds(), r.speed(),
                r.durationSeconds(), r.clients());
        long t0 = System.nanoTime();
        ObjectNode out = JsonCodec.mapper().createObjectNode();
        try (Demo demo = Demo.startServices(s, InstantSource.system());
                Writer lines = r.timelineFile() == null ? null : Files.newBufferedWriter(r.timelineFile());
                StageProbe probe = StageProbe.start(demo.bootstrapServers());
                WardClients ws = WardClients.connect(demo.dashboardPort(), demo.login().user(), demo.login().password(),
                        demo.login().ward(), r.clients());
                Admin admin = demo.admin()) {
            if (r.retentionMinutes() > 0) {
                BulkRetention.apply(admin, Duration.ofMinutes(r.retentionMinutes()),
                        List.of(Topics.SAMPLES.name(), Topics.EEG_EPOCHS.name(), Topics.LEG_WINDOWS.name()));
            }
            // clients and probe are on before the first block: load time counts from here
            demo.startLoad();
            long startNanos = System.nanoTime();
            long cpu0 = meter.cpuNanos();
            JmxCounts broker0 = JmxCounts.now();
            Session session = new Session(demo, probe, ws, admin, new LagTimeline(lines), dir, montage, meter, device);
            Outcome load = measure(r, session, new Start(startNanos, cpu0, broker0, (startNanos - t0) / 1e9, load0), out, progress);
            return compare(r, session, load, progress);
        }
    }

    /**
     * The fixed cost, after the load drained and the night's re-scores are done: every service up, the probe and the
     * websocket clients connected, no bed sending; the process's CPU (cores) and the broker's requests over
     * {@code seconds} of wall time.
     */
    private static void idle(double seconds, ProcessMeter meter, ObjectNode out, PrintStream progress) throws InterruptedException {
        progress.printf("bench pipeline: %.0f s idle (services up, no beds) ...%n", seconds);
        long c0 = meter.cpuNanos();
        JmxCounts b0 = JmxCounts.now();
        java.util.Map<String, Long> threads0 = meter.threadCpuNanosByGroup();
        long t0 = System.nanoTime();
        // a span of wall time is what is measured here, not a wait for work
        TimeUnit.MILLISECONDS.sleep(Math.round(seconds * 1000));
        double wall = (System.nanoTime() - t0) / 1e9;
        out.put("idle_s", LatencyStats.round(wall));
        out.put("idle_cpu_cores", Math.round((meter.cpuNanos() - c0) / 1e9 / wall * 1000) / 1000.0);
        ObjectNode idle = out.putObject("idle");
        JmxCounts.now().since(b0).addRatesTo(idle, wall);
        ObjectNode threads = idle.putObject("thread_cpu_s");
        ProcessMeter.cpuSecondsSince(threads0, meter.threadCpuNanosByGroup(), 15).forEach(threads::put);
    }

    /** What a load run reads and writes while it goes on. */
    private record Session(Demo demo, StageProbe probe, WardClients ws, Admin admin, LagTimeline timeline, Path dir,
            Montage montage, ProcessMeter meter, Duration device) {
    }

    /**
     * The moment the load started: process CPU and the broker's counts then, seconds of start-up before it, the
     * machine's load average.
     */
    private record Start(long nanos, long cpuNanos, JmxCounts broker, double startupSeconds, double loadAverage) {
    }

    private static Outcome measure(Run r, Session session, Start start, ObjectNode out, PrintStream progress) throws Exception {
        Demo demo = session.demo();
        StageProbe probe = session.probe();
        WardClients ws = session.ws();
        Admin admin = session.admin();
        LagTimeline timeline = session.timeline();
        Path dir = session.dir();
        Montage montage = session.montage();
        ProcessMeter meter = session.meter();
        Duration device = session.device();
        long startNanos = start.nanos();
        long perBedBlocks = Math.round(montage.blocksPerSecond() * device.toMillis() / 1000.0);
        long totalBlocks = perBedBlocks * r.beds();
        // the last bed starts this much later (wall seconds), so the load lasts that much longer than --duration
        double staggerWall = r.stagger().lastOffsetMicros(r.beds()) / 1e6 / r.speed();
        double period = Math.max(1.0, r.durationSeconds() / 40);
        long[] lastCpu = {meter.cpuNanos()};
        long[] lastT = {System.nanoTime()};
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(t -> {
            Thread th = new Thread(t, "bench-lag-sampler");
            th.setDaemon(true);
            return th;
        });
        sampler.scheduleAtFixedRate(() -> {
            try {
                long now = System.nanoTime();
                double t = (now - startNanos) / 1e9;
                var g = demo.gatewayStats();
                long expected = r.stagger().expectedBlocks(r.beds(), t * r.speed() * 1e6, montage.blocksPerSecond(),
                        perBedBlocks);
                long cpu = meter.cpuNanos();
                double cores = (cpu - lastCpu[0]) / (double) Math.max(1, now - lastT[0]);
                lastCpu[0] = cpu;
                lastT[0] = now;
                timeline.add(new LagTimeline.Sample(t, g.outboxLag(), Math.max(0, expected - g.blocksJournaled()),
                        ConsumerLag.lag(admin, StreamProcessorApp.SPINE_APPLICATION_ID, List.of(Topics.SAMPLES.name())),
                        ConsumerLag.lag(admin, InferenceConfig.GROUP_ID, List.of(Topics.EEG_EPOCHS.name(), Topics.LEG_WINDOWS.name())),
                        meter.heapUsedBytes(), cores, DirectorySize.bytes(dir)));
            } catch (RuntimeException e) {
                LOG.warn("lag sample failed: {}", e.toString());
            }
        }, 0, Math.round(period * 1000), TimeUnit.MILLISECONDS);

        demo.awaitSourcesDrained(Duration.ofSeconds(Math.round((r.durationSeconds() + staggerWall) * 3) + 120));
        double loadSeconds = (System.nanoTime() - startNanos) / 1e9;
        long cpuLoad = meter.cpuNanos() - start.cpuNanos();
        JmxCounts brokerLoad = JmxCounts.now().since(start.broker());
        sampler.shutdownNow();
        sampler.awaitTermination(30, TimeUnit.SECONDS);
        long drainStart = System.nanoTime();
        // what the live pipeline owes when the recordings stop; lights-on and its morning re-scores come after
        boolean quiet = demo.awaitCaughtUp(Duration.ofSeconds(120));
        double drainSeconds = (System.nanoTime() - drainStart) / 1e9;
        long rescoreStart = System.nanoTime();
        // lights-on (the demo marks it) and the morning re-scores, when this run has them
        boolean rescored = r.lightsOn() && demo.awaitQuiet(Duration.ofSeconds(300));
        double rescoreSeconds = (System.nanoTime() - rescoreStart) / 1e9;
        // the probe and the clients see the last events shortly after the services committed them
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && (probe.stageEvents() < probe.epochs() || probe.epochs() == 0
                || ws.stageReceipts() < (long) ws.count() * probe.stageEvents())) {
            TimeUnit.MILLISECONDS.sleep(100);
        }
        var g = demo.gatewayStats();
        long heapAfterGc = meter.heapAfterGcBytes(HEAP_ROUNDS);

        // the second half of the load: past a start-up backlog, what a ward sees during the night
        long secondHalfMicros = System.currentTimeMillis() * 1000 - (System.nanoTime() - startNanos) / 1000
                + Math.round(loadSeconds * 1e6 / 2);
        Latencies lat = Latencies.of(ws.receipts(), probe::times, secondHalfMicros);
        LatencyStats latency = lat.e2e();
        int unmatched = lat.unmatched();

        double samplesIn = g.blocksJournaled() * montage.samplesPerBlock();
        double samplesOut = g.blocksDelivered() * montage.samplesPerBlock();
        double bytesIn = g.blocksDelivered() * montage.bytesPerBlock();
        long expectedEpochs = (long) r.beds() * (device.toSeconds() / 30);
        boolean keptUp = timeline.keptUp(LagTimeline.Sample::outboxLag, 2L * r.beds())
                && timeline.keptUp(LagTimeline.Sample::pumpBehind, 2L * r.beds())
                && timeline.keptUp(LagTimeline.Sample::spineLag, 2L * r.beds() + 2L * r.partitions())
                && timeline.keptUp(LagTimeline.Sample::inferenceLag, r.beds() + 4L * r.partitions())
                && loadSeconds <= (r.durationSeconds() + staggerWall) * 1.05 + 2 && quiet && drainSeconds < 30;
        boolean complete = g.blocksJournaled() == totalBlocks && g.blocksDelivered() == g.blocksJournaled()
                && probe.epochs() >= expectedEpochs && probe.stageEvents() >= probe.epochs()
                && unmatched == 0 && latency.count() >= (long) ws.count() * probe.stageEvents();

        out.put("kind", "pipeline");
        out.put("beds", r.beds());
        out.put("speed", r.speed());
        out.put("bed_seconds_per_second", r.beds() * r.speed());
        out.put("duration_s", r.durationSeconds());
        out.put("partitions", r.partitions());
        out.put("retention_minutes", r.retentionMinutes());
        out.put("stagger_s", r.stagger().spread().toMillis() / 1000.0);
        out.put("websocket_clients", ws.count());
        out.put("startup_s", LatencyStats.round(start.startupSeconds()));
        out.put("load_s", LatencyStats.round(loadSeconds));
        out.put("drain_after_end_s", LatencyStats.round(drainSeconds));
        out.put("lights_on", r.lightsOn());
        if (r.lightsOn()) {
            out.put("lights_on_rescore_s", LatencyStats.round(rescoreSeconds));
            out.put("lights_on_rescore_complete", rescored);
        }
        out.put("kept_up", keptUp);
        out.put("complete", complete);
        out.put("blocks_journaled", g.blocksJournaled());
        out.put("blocks_expected", totalBlocks);
        out.put("blocks_delivered", g.blocksDelivered());
        // every bed sends --duration of data; with the stagger the load lasts staggerWall longer, but at most the
        // ramp-up and ramp-down overlap, so the steady-state rates are the totals over --duration. The gateway starts
        // pacing a moment before startNanos, so an on-time run counts over its nominal span
        double loadWall = Math.max(loadSeconds - staggerWall, r.durationSeconds());
        out.put("samples_ingested_per_s", Math.round(samplesIn / loadWall));
        out.put("samples_delivered_per_s", Math.round(samplesOut / loadWall));
        out.put("ingest_bytes_per_s", Math.round(bytesIn / loadWall));
        out.put("bytes_per_bed_second", Math.round(montage.bytesPerBlock() * montage.blocksPerSecond()));
        out.put("samples_per_bed_second", Math.round(montage.samplesPerBlock() * montage.blocksPerSecond()));
        out.put("epochs", probe.epochs());
        out.put("epochs_expected", expectedEpochs);
        out.put("stage_events", probe.stageEvents());
        out.put("epochs_per_s", LatencyStats.round(probe.epochs() / loadWall));
        out.put("stage_events_per_s", LatencyStats.round(probe.stageEvents() / loadWall));
        out.put("websocket_stage_deliveries", ws.stageReceipts());
        out.put("websocket_updates", ws.updates());
        out.put("websocket_closed_by_server", ws.closedByServer());
        out.put("latency_unmatched", unmatched);
        out.set("e2e_latency", latency.json());
        out.set("e2e_latency_second_half", lat.e2eSecondHalf().json());
        out.set("source_to_stage_event_produced", lat.toKafka().json());
        out.set("stage_event_produced_to_websocket", lat.toSocket().json());
        double cpuSeconds = cpuLoad / 1e9;
        out.put("process_cpu_s", LatencyStats.round(cpuSeconds));
        out.put("cpu_cores_used", LatencyStats.round(cpuSeconds / (loadSeconds)));
        out.put("cpu_ms_per_bed_second", LatencyStats.round(cpuSeconds * 1000 / (r.beds() * device.toSeconds())));
        out.put("heap_after_gc_mib", LatencyStats.round(heapAfterGc / 1048576.0));
        out.put("heap_after_gc_per_bed_kib", LatencyStats.round(heapAfterGc / 1024.0 / r.beds()));
        out.put("heap_max_mib", LatencyStats.round(Runtime.getRuntime().maxMemory() / 1048576.0));
        // the benchmark's own records (each client's receipt per stage update, the probe's times per epoch) are
        // dropped, then the heap after GC again: the monitor's, broker included (ADR 0028)
        ws.forgetReceipts();
        probe.forgetTimes();
        long monitorHeap = meter.heapAfterGcBytes(HEAP_ROUNDS);
        out.put("heap_after_gc_monitor_mib", LatencyStats.round(monitorHeap / 1048576.0));
        out.put("heap_after_gc_monitor_per_bed_kib", LatencyStats.round(monitorHeap / 1024.0 / r.beds()));
        out.put("heap_bench_records_mib", LatencyStats.round((heapAfterGc - monitorHeap) / 1048576.0));
        out.put("load_average_before", LatencyStats.round(start.loadAverage()));
        out.put("load_average_after", LatencyStats.round(meter.loadAverage()));
        out.put("processors", meter.processors());
        // what the broker and the Streams clients did while the load ran (its start to the sources drained)
        brokerLoad.addRatesTo(out, loadSeconds);
        ObjectNode threads = out.putObject("thread_cpu_s");
        meter.threadCpuSecondsByGroup(15).forEach(threads::put);
        out.set("lag_timeline", timeline.json());
        return new Outcome(out, keptUp, complete, latency.p99Millis(), bytesIn / loadWall, Double.NaN);
    }

    /**
     * After the load, on the same broker: the idle span (the fixed cost), the null pipeline (the latency floor, {@code floor_latency}) and the raw
     * Kafka ceiling, each only when asked for.
     */
    private static Outcome compare(Run r, Session session, Outcome load, PrintStream progress) throws Exception {
        ObjectNode out = load.json();
        Montage montage = session.montage();
        String bootstrap = session.demo().bootstrapServers();
        if (r.idleSeconds() > 0) {
            idle(r.idleSeconds(), session.meter(), out, progress);
        }
        if (r.floorSeconds() > 0) {
            progress.printf("bench pipeline: null pipeline (latency floor) on the same broker for %.0f s ...%n", r.floorSeconds());
            NullPipeline.run(bootstrap, session.admin(), r.partitions(),
                    new NullPipeline.Load(r.beds(), montage.blocksPerSecond() * r.speed(), montage.blocks()),
                    Duration.ofMillis(Math.round(r.floorSeconds() * 1000)), session.dir().resolve("floor")).addTo(out);
        }
        double ceiling = Double.NaN;
        if (r.ceilingSeconds() > 0) {
            progress.printf("bench pipeline: raw Kafka ceiling on the same broker for %.0f s ...%n", r.ceilingSeconds());
            KafkaCeiling.Result c = KafkaCeiling.run(bootstrap, session.admin(), r.partitions(),
                    montage.ceilingLoad(r.beds()), 0, Duration.ofMillis(Math.round(r.ceilingSeconds() * 1000)));
            ceiling = c.consumedBytesPerSecond();
            out.set("kafka_ceiling", c.json());
            out.put("ingest_to_ceiling_ratio", Math.round(load.ingestBytesPerSecond() / ceiling * 10_000) / 10_000.0);
            out.put("ceiling_beds_equivalent", Math.round(ceiling / montage.bytesPerBedSecond()));
        }
        return new Outcome(out, load.keptUp(), load.complete(), load.p99Millis(), load.ingestBytesPerSecond(), ceiling);
    }

    /**
     * Latencies of the stage updates the clients received, matched with the probe's times of their epochs; built in
     * a method of its own so that nothing of the per-receipt lists outlives it (the heap figures after it).
     *
     * @param unmatched receipts without the probe's times of their epoch
     */
    record Latencies(LatencyStats e2e, LatencyStats e2eSecondHalf, LatencyStats toKafka, LatencyStats toSocket, int unmatched) {
        /**
         * @param times            the probe's times of (bed, epoch), null when it has none
         * @param secondHalfMicros source time from which an epoch counts in {@code e2eSecondHalf}
         */
        static Latencies of(List<WardClients.Receipt> receipts, java.util.function.BiFunction<String, Long, StageProbe.Times> times,
                long secondHalfMicros) {
            List<Long> e2e = new ArrayList<>();
            List<Long> e2eSecondHalf = new ArrayList<>();
            List<Long> toKafka = new ArrayList<>();
            List<Long> toSocket = new ArrayList<>();
            int unmatched = 0;
            for (WardClients.Receipt rc : receipts) {
                StageProbe.Times t = times.apply(rc.bed(), rc.epoch());
                if (t == null || t.sourceMicros() <= 0) {
                    unmatched++;
                    continue;
                }
                e2e.add(rc.receivedMicros() - t.sourceMicros());
                if (t.sourceMicros() >= secondHalfMicros) {
                    e2eSecondHalf.add(rc.receivedMicros() - t.sourceMicros());
                }
                if (rc.client() == 0 && t.producedMicros() > 0) {
                    toKafka.add(t.producedMicros() - t.sourceMicros());
                    toSocket.add(rc.receivedMicros() - t.producedMicros());
                }
            }
            return new Latencies(stats(e2e), stats(e2eSecondHalf), stats(toKafka), stats(toSocket), unmatched);
        }

        private static LatencyStats stats(List<Long> micros) {
            return LatencyStats.ofMicros(micros.stream().mapToLong(Long::longValue).toArray());
        }
    }

    static void deleteQuietly(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warn("could not delete {}: {}", dir, e.toString());
        }
    }
}
