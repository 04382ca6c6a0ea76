package org.hypnostream.app;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.hypnostream.broker.EmbeddedKafka;
import org.hypnostream.common.config.ConfigReader;
import org.hypnostream.common.config.KafkaClients;
import org.hypnostream.common.event.BedInfo;
import org.hypnostream.common.service.RunningService;
import org.hypnostream.common.time.Micros;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.dashboard.DashboardConfig;
import org.hypnostream.dashboard.DashboardMain;
import org.hypnostream.inference.service.InferenceConfig;
import org.hypnostream.inference.service.InferenceMain;
import org.hypnostream.ingest.Gateway;
import org.hypnostream.ingest.GatewayConfig;
import org.hypnostream.ingest.GatewayMain;
import org.hypnostream.ingest.GatewayStats;
import org.hypnostream.ingest.edf.EdfReader;
import org.hypnostream.ingest.outbox.Outbox;
import org.hypnostream.ingest.source.AmplifierSource;
import org.hypnostream.ingest.source.Pacing;
import org.hypnostream.ingest.source.ReplaySource;
import org.hypnostream.ingest.source.SyntheticAmplifier;
import org.hypnostream.stream.SpineConfig;
import org.hypnostream.stream.StreamProcessorMain;
import org.hypnostream.stream.plm.PlmConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything in one JVM: embedded KRaft broker, gateways with outboxes, the topologies, inference on CPU and the
 * dashboard, each service started as it starts alone ({@code GatewayMain}, {@code StreamProcessorMain},
 * {@code InferenceMain}, {@code DashboardMain}), without their HTTP endpoints but the dashboard's. Used by {@code hypnostream demo}, the pipeline benchmark and the end-to-end tests.
 * Public for the pipeline benchmark (module {@code benchmarks}): it starts the services, connects its clients, starts
 * the load and reads the gateway's figures through the read-only accessors below; the services themselves stay private.
 */
public final class Demo implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Demo.class);
    static final String WARD = "ward-a";
    static final String PLM_APP_ID = org.hypnostream.stream.StreamProcessorMain.PLM_APPLICATION_ID;
    static final int DEMO_OUTBOX_ROLL_MINUTES = 5;

    /**
     * @param duration  device time each bed sends (null = until stopped); with speed X the wall time is duration / X
     * @param edfFiles  EDF files replayed as beds (one bed each); empty = synthetic beds
     * @param stagger   per-bed session start offsets (each bed still sends {@code duration})
     * @param lightsOnAtEnd whether {@link #awaitQuiet} marks lights-on for every bed once the recordings stopped and
     *                  waits for the morning re-scores (the demo's and {@code bench pipeline}'s setting); false: it
     *                  marks nothing and waits only as {@link #awaitCaughtUp} does (a {@code bench max-beds} probe,
     *                  which judges the live pipeline; ADR 0024)
     */
    public record Settings(int beds, double speed, Duration duration, List<Path> edfFiles, Path workDir, int partitions,
            int httpPort, long seed, Path modelsDir, Stagger stagger, boolean lightsOnAtEnd) {
        /** Every bed starting in the same second (the tests' setting), lights-on at the end. */
        public Settings(int beds, double speed, Duration duration, List<Path> edfFiles, Path workDir, int partitions,
                int httpPort, long seed, Path modelsDir) {
            this(beds, speed, duration, edfFiles, workDir, partitions, httpPort, seed, modelsDir, Stagger.NONE);
        }

        /** Lights-on at the end. */
        public Settings(int beds, double speed, Duration duration, List<Path> edfFiles, Path workDir, int partitions,
                int httpPort, long seed, Path modelsDir, Stagger stagger) {
            this(beds, speed, duration, edfFiles, workDir, partitions, httpPort, seed, modelsDir, stagger, true);
        }

        /** These settings with {@code lightsOnAtEnd} as given. */
        public Settings withLightsOnAtEnd(boolean lightsOn) {
            return new Settings(beds, speed, duration, edfFiles, workDir, partitions, httpPort, seed, modelsDir, stagger,
                    lightsOn);
        }

        public Settings {
            Objects.requireNonNull(workDir, "workDir");
            Objects.requireNonNull(modelsDir, "modelsDir");
            Objects.requireNonNull(stagger, "stagger");
            edfFiles = List.copyOf(edfFiles);
            if (beds < 1 || beds > 10_000) {
                throw new IllegalArgumentException("--beds must be 1-10000, got " + beds);
            }
            if (!(speed >= 0 && speed <= 10_000)) {
                throw new IllegalArgumentException("--speed must be 0 (as fast as possible) to 10000, got " + speed);
            }
            if (partitions < 1 || partitions > 1_000) {
                throw new IllegalArgumentException("partitions must be 1-1000, got " + partitions);
            }
        }
    }

    private final Settings settings;
    private final List<String> bedIds = new ArrayList<>();
    private final List<Instant> bedStarts = new ArrayList<>();
    private final List<List<org.hypnostream.common.event.Stage>> hypnograms = new ArrayList<>();
    private DemoStudies studies;
    private final List<AutoCloseable> started = new ArrayList<>();
    private InstantSource clock;
    private List<AmplifierSource> sources;
    private GatewayConfig gatewayConfig;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final CompletableFuture<Throwable> failure = new CompletableFuture<>();
    private EmbeddedKafka kafka;
    private Gateway gateway;
    private StreamProcessorMain.Running streams;
    private InferenceMain inference;
    private DashboardMain dashboard;
    private DashboardConfig.DemoLogin login;

    private Demo(Settings settings) {
        this.settings = settings;
    }

    /** Starts every service, then the gateway's load. */
    public static Demo start(Settings s, InstantSource clock) {
        return start(s, clock, step -> { });
    }

    /** As {@link #start(Settings, InstantSource)}, telling {@code steps} what it starts next ("Kafka", "inference", ...). */
    static Demo start(Settings s, InstantSource clock, Consumer<String> steps) {
        Demo d = startServices(s, clock, steps);
        try {
            steps.accept("gateway");
            d.startLoad();
            return d;
        } catch (RuntimeException e) {
            d.close();
            throw e;
        }
    }

    /**
     * Starts broker, topologies, inference and dashboard, not the gateway: a bench connects its clients before the
     * load starts ({@link #startLoad}), so they see the first epochs too.
     */
    public static Demo startServices(Settings s, InstantSource clock) {
        return startServices(s, clock, step -> { });
    }

    private static Demo startServices(Settings s, InstantSource clock, Consumer<String> steps) {
        Demo d = new Demo(s);
        try {
            d.startAll(clock, steps);
            return d;
        } catch (RuntimeException e) {
            d.close();
            throw e;
        }
    }

    /** Starts the gateway: its sources begin at the session start that {@link #startServices} fixed. */
    public void startLoad() {
        if (gateway != null) {
            throw new IllegalStateException("the demo's load has started already");
        }
        GatewayMain.Running running = GatewayMain.start(gatewayConfig, sources, "127.0.0.1", -1, clock, registry);
        gateway = running.gateway();
        started.add(0, service(running));
        studies.start(); // admitted now; lights-off/on when the device time of the night reaches them
    }

    /** Closed with the demo; its failure is the demo's. */
    private <S extends RunningService> S service(S s) {
        s.failure().thenAccept(cause -> failure.complete(new IllegalStateException(s.name() + ": " + cause.getMessage(), cause)));
        return s;
    }

    /** Completes with the cause when a worker of any of the demo's services dies (never on {@link #close()}). */
    public CompletableFuture<Throwable> failure() {
        return failure;
    }

    private void startAll(InstantSource clock, Consumer<String> steps) {
        this.clock = clock;
        steps.accept("Kafka");
        kafka = EmbeddedKafka.start(settings.workDir().resolve("broker"));
        started.add(kafka);
        kafka.createTopics(settings.partitions());
        Instant sessionStart = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        sources = sources(sessionStart);
        registerBeds();
        studies = new DemoStudies(kafka.bootstrapServers(), clock, settings.speed(), bedIds, bedStarts, settings.duration(), hypnograms);
        started.add(0, studies);

        steps.accept("stream processor");
        streams = service(StreamProcessorMain.start(new StreamProcessorMain.Settings(kafka.bootstrapServers(),
                settings.workDir().resolve("streams"), "127.0.0.1", -1, SpineConfig.defaults(), PlmConfig.defaults(),
                org.hypnostream.stream.alarm.EscalationConfig.defaults()),
                Map.of(), registry));
        started.add(0, streams);

        steps.accept("inference");
        InferenceConfig ic = InferenceConfig.fromEnvironment(ConfigReader.of(Map.of(
                "kafka.bootstrap.servers", kafka.bootstrapServers(),
                "models.dir", settings.modelsDir().toString(),
                "inference.device", "cpu",
                "inference.instance.id", "demo",
                "inference.metrics.port", "-1")));
        inference = service(InferenceMain.start(ic));
        started.add(0, inference);

        // 5-minute outbox cycles: the demo and the benches replay nights time-compressed, and hourly cycles would keep
        // every relayed block on disk for the whole run (a cycle file goes only once wholly relayed)
        gatewayConfig = new GatewayConfig("demo-gateway", kafka.bootstrapServers(),
                settings.workDir().resolve("outbox"), settings.speed() == 0 ? Pacing.AS_FAST_AS_POSSIBLE : Pacing.factor(settings.speed()),
                Map.of(), Outbox.DEFAULT_MIN_FREE_BYTES, DEMO_OUTBOX_ROLL_MINUTES);
        if (settings.httpPort() >= 0) {
            steps.accept("dashboard");
            startDashboard();
        }
    }

    private void startDashboard() {
        try {
            login = DashboardConfig.demo(settings.workDir().resolve("dashboard"), kafka.bootstrapServers(), settings.httpPort());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the demo users file: " + e.getMessage(), e);
        }
        dashboard = service(DashboardMain.start(login.config()));
        started.add(0, dashboard);
    }

    /** The dashboard address and demo sign-in, or null when the dashboard is off. */
    String dashboardBanner() {
        if (dashboard == null) {
            return null;
        }
        return "Dashboard: http://localhost:" + dashboard.port() + "/  sign in as '" + login.user() + "' with password '"
                + login.password() + "' (ward " + login.ward() + "; 'technologist' and 'physician' share it)";
    }

    private List<AmplifierSource> sources(Instant sessionStart) {
        List<AmplifierSource> out = new ArrayList<>();
        long span = settings.duration() == null ? Long.MAX_VALUE / 4 : Micros.of(Instant.EPOCH.plus(settings.duration()));
        int n = settings.edfFiles().isEmpty() ? settings.beds() : settings.edfFiles().size();
        try {
            for (int i = 0; i < n; i++) {
                String bed = "bed-" + (i + 1);
                long offset = settings.stagger().offsetMicros(i, n);
                Instant start = sessionStart.plusNanos(offset * 1000);
                bedIds.add(bed);
                bedStarts.add(start);
                AmplifierSource src = settings.edfFiles().isEmpty()
                        ? new SyntheticAmplifier(bed, settings.seed() + i + 1, start)
                        : ReplaySource.of(bed, EdfReader.read(settings.edfFiles().get(i)), start);
                hypnograms.add(src instanceof SyntheticAmplifier syn ? syn.hypnogram() : null);
                out.add(new BoundedSource(src, Micros.of(start), span, offset));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read recording: " + e.getMessage(), e);
        }
        return out;
    }

    private void registerBeds() {
        Map<String, Object> cfg = KafkaClients.ordered(KafkaClients.client(kafka.bootstrapServers(), Map.of()));
        try (KafkaProducer<String, BedInfo> p = new KafkaProducer<>(cfg, Topics.BEDS.keySerde().serializer(),
                Topics.BEDS.valueSerde().serializer())) {
            for (int i = 0; i < bedIds.size(); i++) {
                String bed = bedIds.get(i);
                p.send(new ProducerRecord<>(Topics.BEDS.name(), bed,
                        new BedInfo(bed, WARD, "Bed " + (i + 1), bedStarts.get(i), List.of(), "WASM2016")));
            }
            p.flush();
        }
    }

    public List<String> bedIds() {
        return List.copyOf(bedIds);
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** The gateway's counters now (blocks journaled and delivered, outbox lag, per bed); a snapshot, not a live view. */
    public GatewayStats gatewayStats() {
        return requireLoad().stats();
    }

    /** Waits until every source sent its last block and the gateway's pump drained them into the outbox. */
    public void awaitSourcesDrained(Duration timeout) {
        requireLoad().awaitSourcesDrained(timeout);
    }

    /** A new admin client on the demo's broker; the caller closes it. */
    public Admin admin() {
        return kafka.admin();
    }

    /** The dashboard's HTTP port; the dashboard must be on ({@code httpPort >= 0}). */
    public int dashboardPort() {
        return requireDashboard().port();
    }

    /** The demo sign-in (user, password, ward) of the dashboard; the dashboard must be on. */
    public DashboardConfig.DemoLogin login() {
        requireDashboard();
        return login;
    }

    /** The embedded broker, for the end-to-end tests that stop and restart it. */
    EmbeddedKafka kafka() {
        return kafka;
    }

    private Gateway requireLoad() {
        if (gateway == null) {
            throw new IllegalStateException("the demo's load has not started (startLoad)");
        }
        return gateway;
    }

    private DashboardMain requireDashboard() {
        if (dashboard == null) {
            throw new IllegalStateException("the demo's dashboard is off (httpPort < 0)");
        }
        return dashboard;
    }

    /**
     * Waits until every source ended, the outbox is empty and every service consumed its input to the end, then
     * marks lights-on for every bed (the recordings stopped) and waits again, for the morning re-scores. A demo whose
     * settings say {@code lightsOnAtEnd = false} marks nothing: the first wait is all.
     */
    public boolean awaitQuiet(Duration timeout) throws InterruptedException {
        if (!settings.lightsOnAtEnd()) {
            return awaitCaughtUp(timeout);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        awaitCaughtUp(timeout);
        studies.recordingEnded(); // the recordings stopped: lights on
        return awaitCaughtUp(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }

    /**
     * Waits until every source ended, the outbox is empty and every service consumed its input to the end, without
     * marking lights-on: what the live pipeline owes when the recordings stop.
     */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        gateway.awaitSourcesDrained(timeout);
        while (gateway.stats().outboxLag() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
        Map<String, List<String>> groups = new LinkedHashMap<>();
        groups.put("hypnostream-spine", List.of(Topics.SAMPLES.name()));
        groups.put(InferenceConfig.GROUP_ID, List.of(Topics.EEG_EPOCHS.name(), Topics.LEG_WINDOWS.name()));
        groups.put(InferenceConfig.RESCORE_GROUP_ID, List.of(Topics.STUDY_EVENTS.name(), Topics.RESCORE_REQUESTS.name()));
        groups.put(PLM_APP_ID, List.of(Topics.LEG_EVENTS.name(), Topics.STAGE_EVENTS.name(), Topics.LEG_WINDOWS.name()));
        groups.put(org.hypnostream.stream.StreamProcessorMain.ALARM_APPLICATION_ID,
                List.of(Topics.ALERTS.name(), Topics.ALERT_ACTIONS.name()));
        try (Admin admin = kafka.admin()) {
            return ConsumerLag.awaitCaughtUp(admin, groups, settings.partitions(), left);
        }
    }

    /** Each bed's morning report and FHIR bundle ({@code dir/<bed>.pdf}, {@code dir/<bed>.fhir.json}), from the topics. */
    void writeReports(Path dir) throws java.io.IOException {
        var state = org.hypnostream.dashboard.report.ReportWriter.read(kafka.bootstrapServers(), java.util.Map.of(),
                Duration.ofSeconds(60));
        org.hypnostream.dashboard.report.ReportWriter.writeAll(state, bedIds, dir, java.time.Instant.now());
    }

    /** The closing JSON line: per bed, what actually went through Kafka. */
    String summaryJson() {
        TopicCounts c = TopicCounts.read(kafka.bootstrapServers(), List.of(Topics.SAMPLES.name(), Topics.EEG_EPOCHS.name(),
                Topics.LEG_WINDOWS.name(), Topics.DEAD_LETTER.name(), Topics.STAGE_EVENTS.name(), Topics.LEG_EVENTS.name(),
                Topics.PLM_EVENTS.name(), Topics.ALERTS.name()));
        var stats = gateway.stats();
        var study = DemoStudies.summaries(kafka.bootstrapServers(), bedIds);
        StringBuilder b = new StringBuilder("{\"beds\":[");
        for (int i = 0; i < bedIds.size(); i++) {
            String bed = bedIds.get(i);
            var g = stats.beds().get(bed);
            if (i > 0) {
                b.append(',');
            }
            b.append("{\"bed\":\"").append(bed).append('"')
                    .append(",\"blocks_journaled\":").append(g == null ? 0 : g.blocksJournaled())
                    .append(",\"blocks_delivered\":").append(c.count(bed, Topics.SAMPLES.name()))
                    .append(",\"duplicate_blocks\":").append(c.duplicates(bed))
                    .append(",\"epochs\":").append(c.count(bed, Topics.EEG_EPOCHS.name()))
                    .append(",\"leg_windows\":").append(c.count(bed, Topics.LEG_WINDOWS.name()))
                    .append(",\"dead_letters\":").append(c.count(bed, Topics.DEAD_LETTER.name()))
                    .append(",\"stage_events\":").append(c.count(bed, Topics.STAGE_EVENTS.name()))
                    .append(",\"leg_events\":").append(c.count(bed, Topics.LEG_EVENTS.name()))
                    .append(",\"plm_events\":").append(c.count(bed, Topics.PLM_EVENTS.name()))
                    .append(",\"alerts\":").append(c.count(bed, Topics.ALERTS.name()));
            study.get(bed).forEach((k, v) -> b.append(",\"").append(k).append("\":")
                    .append(org.hypnostream.common.event.JsonCodec.toJson(v)));
            b.append('}');
        }
        return b.append("]}").toString();
    }

    @Override
    public void close() {
        for (AutoCloseable c : started) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed: {}", c.getClass().getSimpleName(), e.toString());
            }
        }
        started.clear();
    }
}
