package org.hypnostream.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionListing;
import org.hypnostream.broker.KafkaCluster;
import org.hypnostream.common.event.BedInfo;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.dashboard.DashboardConfig;
import org.hypnostream.dashboard.DashboardServer;
import org.hypnostream.inference.service.InferenceConfig;
import org.hypnostream.ingest.Gateway;
import org.hypnostream.ingest.GatewayConfig;
import org.hypnostream.ingest.source.Pacing;
import org.hypnostream.stream.StreamProcessorApp;
import org.hypnostream.testkit.TestProducer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reliability on a real 3-node KRaft cluster ({@link KafkaCluster}: each node broker + controller in its own JVM,
 * every topic, Streams' internal topics and the transaction state log at replication factor 3 and
 * min.insync.replicas 2). The stream processor and the inference service run as child JVMs, fed by a gateway with
 * 3 synthetic beds x 10 minutes at 15x. Mid-night a broker fails: SIGKILLed and started again later, or all three
 * restarted one at a time. The leader kill runs in {@code mvn verify}; the coordinator kill and the rolling restart
 * are tagged {@code cluster-long} and run with {@code -Pcluster-long} (README, Tests), which also makes the night
 * longer. Then every journaled block is on {@code samples.v1}, every epoch is on
 * {@code eeg-epochs.v1} once and scored exactly once on {@code stage-events.v1}; the longest pause between two stage
 * events of one bed, as a read_committed reader of {@code stage-events.v1} saw them arrive, is printed beside. The ward
 * dashboard ({@link DashboardServer}) runs in this JVM over the cluster, the beds registered on {@code beds.v1} with
 * its nurse's ward, and a websocket client ({@link WardSocketWatch}) signs in as that nurse and follows the ward as
 * the page does: it must end holding a stage event for every epoch of the ledger, and the longest pause between two
 * pushed stage events of one bed it saw is printed beside the topic-side figure (measured, not asserted).
 */
class ClusterFaultIT {
    private static final List<String> BEDS = List.of("bed-1", "bed-2", "bed-3");
    /** Device time per bed: 10 minutes, or {@code -Dhypnostream.cluster.night.minutes} (the cluster-long profile). */
    private static final Duration NIGHT = Duration.ofMinutes(Long.getLong("hypnostream.cluster.night.minutes", 10));
    /** Replay speed: 15x, or {@code -Dhypnostream.cluster.speed}. */
    private static final double SPEED = Double.parseDouble(System.getProperty("hypnostream.cluster.speed", "15"));
    /** How long the gateway needs for the night, plus slack for the fault. */
    private static final Duration RUN = Duration.ofSeconds((long) (NIGHT.toSeconds() / SPEED)).plusMinutes(3);
    private static final long EPOCHS_PER_BED = NIGHT.toSeconds() / 30;
    private static final int PARTITIONS = 3;

    @TempDir
    Path dir;

    /** What a scenario does to the cluster once the night is under way; returns a note for the result line. */
    interface Fault {
        String inject(KafkaCluster cluster, StageEventWatch watch) throws Exception;
    }

    @Test
    void brokerLeadingMostPartitionsKilledAndRestarted() throws Exception {
        runScenario("leader-kill9", (cluster, watch) -> {
            Map<Integer, Integer> leaders = cluster.leaderCounts();
            int victim = leaders.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
            return killAndRestart(cluster, watch, victim, "leader of " + leaders.get(victim) + " partitions " + leaders);
        });
    }

    @Test
    @Tag("cluster-long")
    void transactionCoordinatorOfTheSpineKilledAndRestarted() throws Exception {
        runScenario("spine-txn-coordinator-kill9", (cluster, watch) -> {
            int victim = spineCoordinator(cluster);
            return killAndRestart(cluster, watch, victim, "transaction coordinator of the spine");
        });
    }

    @Test
    @Tag("cluster-long")
    void rollingRestartOfAllThreeBrokers() throws Exception {
        runScenario("rolling-restart", (cluster, watch) -> {
            List<String> steps = new ArrayList<>();
            for (int node : cluster.nodeIds()) {
                long t0 = System.nanoTime();
                cluster.stop(node);
                cluster.start(node);
                assertThat(cluster.awaitFullyReplicated(Duration.ofMinutes(2)))
                        .as("every partition back in sync after restarting node %d", node).isTrue();
                steps.add("node " + node + " " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            }
            return "SIGTERM, start, wait for full ISR, next: " + steps;
        });
    }

    private static String killAndRestart(KafkaCluster cluster, StageEventWatch watch, int victim, String why)
            throws Exception {
        long seenAtKill = watch.seen();
        long killedAt = System.nanoTime();
        cluster.kill(victim);
        // the survivors carry on: more stage events while the victim is down
        watch.awaitSeen(seenAtKill + BEDS.size() * 2L, Duration.ofMinutes(2), "stage events with node " + victim + " down",
                List.of());
        long downMs = (System.nanoTime() - killedAt) / 1_000_000;
        cluster.start(victim);
        return "SIGKILL node " + victim + " (" + why + ") at " + seenAtKill + " stage events, restarted after " + downMs
                + " ms";
    }

    /** The node that coordinates the spine's transactions (its exactly_once_v2 producer's transactional id). */
    private static int spineCoordinator(KafkaCluster cluster) throws Exception {
        try (Admin admin = cluster.admin()) {
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (true) {
                Collection<TransactionListing> all = admin.listTransactions().all().get(15, TimeUnit.SECONDS);
                List<String> ids = all.stream().map(TransactionListing::transactionalId)
                        .filter(id -> id.startsWith(StreamProcessorApp.SPINE_APPLICATION_ID + "-")).toList();
                if (!ids.isEmpty()) {
                    var described = admin.describeTransactions(ids).all().get(15, TimeUnit.SECONDS);
                    var coordinators = described.values().stream().map(d -> d.coordinatorId()).distinct().toList();
                    assertThat(coordinators).as("one coordinator for the spine's transactional ids %s", ids).hasSize(1);
                    return coordinators.get(0);
                }
                assertThat(System.nanoTime()).as("the spine's transactional id listed; have %s", all).isLessThan(deadline);
                Thread.sleep(200);
            }
        }
    }

    private void runScenario(String name, Fault fault) throws Exception {
        long t0 = System.nanoTime();
        Vertx vertx = Vertx.vertx();
        try (KafkaCluster cluster = KafkaCluster.start(dir.resolve("cluster"), 3)) {
            cluster.createTopics(PARTITIONS);
            long clusterUp = System.nanoTime();
            String bootstrap = cluster.bootstrapServers();
            // the ward dashboard in this JVM, over the cluster, with a nurse of the beds' ward following it by websocket
            DashboardConfig.DemoLogin login = DashboardConfig.demo(dir.resolve("dashboard"), bootstrap, 0);
            // (started while the child JVMs start: the dashboard's start overlaps theirs)
            Future<DashboardServer> dashboard = DashboardServer.start(vertx, login.config());
            try (ServiceProcess spine = started(streamProcessor(bootstrap)); ServiceProcess inference = started(inference(bootstrap));
                    StageEventWatch watch = StageEventWatch.start(bootstrap);
                    WardSocketWatch socket = WardSocketWatch.start(vertx, dashboard.await().port(), login.user(),
                            login.password(), login.ward())) {
                Instant sessionStart = Instant.now().truncatedTo(ChronoUnit.SECONDS);
                registerBeds(bootstrap, login.ward(), sessionStart);
                GatewayConfig gc = new GatewayConfig("cluster-gateway", bootstrap, dir.resolve("outbox"),
                        Pacing.factor(SPEED), Map.of());
                try (Gateway gateway = Gateway.start(gc, SyntheticNight.sources(BEDS, 41, sessionStart, NIGHT), InstantSource.system(),
                        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
                    watch.awaitSeen(BEDS.size() * EPOCHS_PER_BED / 4, Duration.ofMinutes(3), "a quarter of the night scored",
                            List.of(spine, inference));
                    long faultAt = System.nanoTime();
                    String note = fault.inject(cluster, watch);
                    long faultDone = System.nanoTime();
                    gateway.awaitSourcesDrained(RUN);
                    watch.awaitSeen(BEDS.size() * EPOCHS_PER_BED, RUN, "every epoch scored", List.of(spine, inference));
                    Map<String, List<String>> groups = new LinkedHashMap<>();
                    groups.put(StreamProcessorApp.SPINE_APPLICATION_ID, List.of(Topics.SAMPLES.name()));
                    groups.put(InferenceConfig.GROUP_ID, List.of(Topics.EEG_EPOCHS.name(), Topics.LEG_WINDOWS.name()));
                    try (Admin admin = cluster.admin()) {
                        assertThat(ConsumerLag.awaitCaughtUp(admin, groups, PARTITIONS, Duration.ofMinutes(2)))
                                .as("spine and inference caught up").isTrue();
                    }
                    assertThat(spine.isAlive()).as("stream processor alive; log:\n%s", spine.logTail()).isTrue();
                    assertThat(inference.isAlive()).as("inference alive; log:\n%s", inference.logTail()).isTrue();
                    NightLedger ledger = NightLedger.readTo(bootstrap,
                            cluster.settledEndOffsets(Topics.EEG_EPOCHS.name(), Duration.ofMinutes(1)),
                            cluster.settledEndOffsets(Topics.STAGE_EVENTS.name(), Duration.ofMinutes(1)));
                    verify(name + " (" + note + ")", gateway, bootstrap, ledger, watch, socket, String.format(
                            "cluster up %.0f s, fault at %.0f s, fault done %.0f s, verified %.0f s", (clusterUp - t0) / 1e9,
                            (faultAt - t0) / 1e9, (faultDone - t0) / 1e9, (System.nanoTime() - t0) / 1e9));
                }
            } finally {
                if (dashboard.succeeded()) {
                    dashboard.result().close().await();
                } // else vertx.close() below undeploys whatever started
            }
        } finally {
            vertx.close().await();
        }
    }

    private static ServiceProcess started(ServiceProcess p) throws IOException {
        return p.start();
    }

    /** The beds on {@code beds.v1} with the nurse's ward, as the demo registers them: the dashboard shows only those. */
    private static void registerBeds(String bootstrap, String ward, Instant sessionStart) throws Exception {
        try (TestProducer p = TestProducer.to(bootstrap)) {
            for (int i = 0; i < BEDS.size(); i++) {
                p.send(Topics.BEDS, BEDS.get(i), new BedInfo(BEDS.get(i), ward, "Bed " + (i + 1), sessionStart, List.of(),
                        "WASM2016"));
            }
        }
    }

    private static void verify(String name, Gateway gateway, String bootstrap, NightLedger ledger, StageEventWatch watch,
            WardSocketWatch socket, String phases) throws InterruptedException {
        NightTally tally = NightTally.of(name, gateway.stats(), bootstrap, ledger, BEDS, EPOCHS_PER_BED);
        Map<String, Long> pauses = new TreeMap<>();
        watch.longestPauses().forEach((bed, d) -> pauses.put(bed, d.toMillis()));
        // the dashboard's feed is one more read_committed reader: give its websocket push a bounded time to catch up
        long socketDeadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        Map<String, List<Long>> socketMissing = socket.missing(ledger.epochs());
        while (!socketMissing.isEmpty() && System.nanoTime() < socketDeadline) {
            Thread.sleep(100);
            socketMissing = socket.missing(ledger.epochs());
        }
        long socketMissingCount = socketMissing.values().stream().mapToLong(List::size).sum();
        System.out.printf("cluster %s: %s; longest stage-event pause %d ms (per bed %s; one epoch = %d ms at %.0fx);"
                        + " websocket client: longest stage-event pause %d ms (per bed %s), stage updates %d, epochs held %d,"
                        + " missing %d, repeated %d, reconnects %d; %s%n",
                name, tally.figures(), watch.longestPause().toMillis(),
                pauses, (long) (30_000 / SPEED), SPEED, socket.longestPause().toMillis(), socket.longestPausesMillis(),
                socket.stageUpdates(), socket.held(), socketMissingCount, socket.duplicates(), socket.reconnects(), phases);
        // per bed and second of the night: one block at 256 Hz and one at 200 Hz
        tally.assertComplete(name, BEDS.size() * 2 * NIGHT.toSeconds(), ledger);
        assertThat(socketMissing).as("%s: epochs of the ledger without a stage event at the ward's websocket client", name)
                .isEmpty();
    }

    private ServiceProcess streamProcessor(String bootstrap) {
        return new ServiceProcess("stream-processor", Map.of(
                "kafka.bootstrap.servers", bootstrap,
                // Streams' changelog and repartition topics: 3 replicas (min.insync.replicas 2 is the brokers' default)
                "kafka.replication.factor", "3",
                "stream.state.dir", dir.resolve("streams").toString(),
                "stream.metrics.host", "127.0.0.1",
                "stream.metrics.port", "0"), dir.resolve("logs"));
    }

    private ServiceProcess inference(String bootstrap) {
        return new ServiceProcess("inference", Map.of(
                "kafka.bootstrap.servers", bootstrap,
                "models.dir", SpineEndToEndIT.MODELS.toString(),
                "inference.device", "cpu",
                "inference.instance.id", "cluster-1",
                "inference.metrics.host", "127.0.0.1",
                "inference.metrics.port", "0"), dir.resolve("logs"));
    }
}
