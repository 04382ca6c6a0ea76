package org.hypnostream.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.hypnostream.broker.EmbeddedKafka;
import org.hypnostream.common.event.BedInfo;
import org.hypnostream.common.event.JsonCodec;
import org.hypnostream.common.event.Provenance;
import org.hypnostream.common.event.Stage;
import org.hypnostream.common.event.StageEvent;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.dashboard.auth.UserDirectory;
import org.hypnostream.testkit.TestProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of the dashboard mid-night: the dashboard runs as a child JVM ({@code hypnostream dashboard},
 * configured by HYPNOSTREAM_* variables, see {@link ServiceProcess}) against a broker in this JVM; stage events of
 * three ward-a beds (and one ward-b bed the client must never see) are produced at a steady pace. A websocket
 * client signed in as a ward-a nurse follows the ward (snapshot, then updates whose per-bed {@code seq} must grow by
 * exactly one and whose epochs must come in order). Mid-night the dashboard gets SIGKILL and is started again on
 * the same port (same {@code dashboard.session.dir}); the client notices the closed socket, reconnects with the token
 * of its one sign-in and a fresh one-time ticket, and resumes from the fresh snapshot. At the end the client holds every stage event of every bed exactly once, equal to what was
 * produced, and nothing it had before the kill is gone.
 */
class DashboardKillIT {
    private static final List<String> BEDS = List.of("bed-1", "bed-2", "bed-3");
    private static final String OTHER_WARD_BED = "bed-9";
    private static final long EPOCHS_PER_BED = 240; // two hours of 30-s epochs
    private static final long ROUND_MILLIS = 120; // one epoch of every bed per round: the night lasts ~30 s
    private static final Instant START = Instant.parse("2026-11-20T22:00:00Z");
    private static final Provenance STAGER = Provenance.model("kill-test-stager", "cd".repeat(32), "CPU");
    private static final List<Stage> CYCLE = List.of(Stage.W, Stage.N1, Stage.N2, Stage.N3, Stage.N2, Stage.REM);
    private static final String PASSWORD = "night-shift-" + Long.toHexString(System.nanoTime());

    @TempDir
    Path dir;

    @Test
    void dashboardKilledMidNightClientEndsWithTheWholeNight() throws Exception {
        Path users = dir.resolve("users.txt");
        Files.writeString(users, UserDirectory.line("nurse", Set.of("ward-a"), PASSWORD.toCharArray(), 10_000) + "\n");
        int port = freePort();
        Vertx vertx = Vertx.vertx();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("broker"));
                ServiceProcess dashboard = new ServiceProcess("dashboard", Map.of(
                        "kafka.bootstrap.servers", kafka.bootstrapServers(),
                        "dashboard.http.host", "127.0.0.1",
                        "dashboard.http.port", Integer.toString(port),
                        "dashboard.users.file", users.toString(),
                        "dashboard.session.dir", dir.resolve("sessions").toString()), dir.resolve("logs"))) {
            kafka.createTopics(2);
            dashboard.start();
            WardClient client = new WardClient(vertx, port);
            client.connect(dashboard, Duration.ofMinutes(2));
            Night night = new Night(kafka.bootstrapServers());
            night.start();

            client.followUntil(c -> c.minEpochs() >= EPOCHS_PER_BED / 4, dashboard, Duration.ofMinutes(3));
            Map<String, TreeMap<Long, String>> beforeKill = client.copy();
            long producedAtKill = night.produced.get();
            dashboard.kill();
            assertThat(dashboard.isAlive()).isFalse();
            dashboard.start();
            client.followUntil(c -> c.reconnects >= 1, dashboard, Duration.ofMinutes(3));
            long producedAtResume = night.produced.get();
            night.join(Duration.ofMinutes(3));
            client.followUntil(c -> c.minEpochs() >= EPOCHS_PER_BED, dashboard, Duration.ofMinutes(3));

            long lost = 0;
            long wrong = 0;
            long droppedSinceKill = 0;
            for (String bed : BEDS) {
                TreeMap<Long, String> got = client.stages.getOrDefault(bed, new TreeMap<>());
                for (long i = 0; i < EPOCHS_PER_BED; i++) {
                    if (!got.containsKey(i)) {
                        lost++;
                    } else if (!got.get(i).equals(stageOf(bed, i).name())) {
                        wrong++;
                    }
                }
                for (var e : beforeKill.getOrDefault(bed, new TreeMap<>()).entrySet()) {
                    if (!e.getValue().equals(got.get(e.getKey()))) {
                        droppedSinceKill++;
                    }
                }
            }
            long extra = client.stages.values().stream().mapToLong(m -> m.size()).sum() - BEDS.size() * EPOCHS_PER_BED + lost;
            System.out.printf("fault dashboard-kill9 (killed with %d of %d stage events produced, resumed at %d): beds=%d"
                    + " stage_events_seen=%d updates=%d snapshots=%d reconnects=%d seq_gaps=%d out_of_order=%d wrong_stage=%d"
                    + " other_ward_seen=%d lost=%d duplicated=%d sign_ins=%d%n", producedAtKill, night.total(), producedAtResume,
                    BEDS.size(), client.stages.values().stream().mapToLong(m -> m.size()).sum(), client.updates,
                    client.snapshots, client.reconnects, client.seqGaps, client.outOfOrder, wrong, client.otherWard,
                    lost + droppedSinceKill, client.duplicates + extra, client.signIns);
            assertThat(producedAtKill).as("killed mid-night").isLessThan(night.total());
            assertThat(client.reconnects).as("client reconnected after the kill").isGreaterThanOrEqualTo(1);
            assertThat(client.signIns).as("signed in once: the token outlived the kill (dashboard.session.dir)").isEqualTo(1);
            assertThat(client.seqGaps).as("per-bed seq grows by one within a connection").isZero();
            assertThat(client.outOfOrder).as("stage updates in epoch order").isZero();
            assertThat(client.duplicates).as("stage events delivered twice").isZero();
            assertThat(client.otherWard).as("ward-b bed shown to a ward-a nurse").isZero();
            assertThat(lost).as("stage events missing at the end").isZero();
            assertThat(extra).as("stage events beyond the night").isZero();
            assertThat(wrong).as("stage events with another stage than produced").isZero();
            assertThat(droppedSinceKill).as("epochs the client had before the kill and lost after it").isZero();
            client.close();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    private static Stage stageOf(String bed, long i) {
        return CYCLE.get((int) ((i / 4 + bed.hashCode()) % CYCLE.size() + CYCLE.size()) % CYCLE.size());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The upstream: bed registry once, then one stage event per bed per round, keyed by bed (one partition each). */
    private final class Night extends Thread {
        private final String bootstrap;
        final AtomicLong produced = new AtomicLong();
        private volatile Throwable failure;

        Night(String bootstrap) {
            super("night-producer");
            this.bootstrap = bootstrap;
            setDaemon(true);
        }

        long total() {
            return (BEDS.size() + 1) * EPOCHS_PER_BED;
        }

        @Override
        public void run() {
            try (TestProducer producer = TestProducer.to(bootstrap)) {
                List<String> all = new ArrayList<>(BEDS);
                all.add(OTHER_WARD_BED);
                for (String bed : all) {
                    String ward = bed.equals(OTHER_WARD_BED) ? "ward-b" : "ward-a";
                    producer.send(Topics.BEDS, bed, new BedInfo(bed, ward, "Bed " + bed, START, List.of("Fpz-Cz", "Pz-Oz"),
                            "WASM2016"));
                }
                long next = System.nanoTime();
                for (long i = 0; i < EPOCHS_PER_BED; i++) {
                    List<ProducerRecord<String, byte[]>> round = new ArrayList<>();
                    for (String bed : all) {
                        round.add(TestProducer.record(Topics.STAGE_EVENTS, bed, stage(bed, i)));
                    }
                    producer.sendAll(round); // a failed send fails the test instead of losing input silently
                    produced.addAndGet(all.size());
                    next += TimeUnit.MILLISECONDS.toNanos(ROUND_MILLIS);
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait); // pacing of the simulated night, not waiting for work
                    }
                }
            } catch (Exception | AssertionError e) {
                failure = e;
            }
        }

        void join(Duration timeout) throws InterruptedException {
            super.join(timeout.toMillis());
            assertThat(isAlive()).as("night produced in time").isFalse();
            assertThat(failure).as("night producer").isNull();
        }

        private StageEvent stage(String bed, long i) {
            Instant s = START.plusSeconds(30 * i);
            Stage st = stageOf(bed, i);
            double[] p = {0.05, 0.05, 0.05, 0.05, 0.05};
            p[Stage.SCORED.indexOf(st)] = 0.8;
            return new StageEvent(bed, i, s, s.plusSeconds(30), st, List.of(p[0], p[1], p[2], p[3], p[4]), false, null,
                    Set.of(), STAGER, s.plusSeconds(31), 800, 0);
        }
    }

    /**
     * A ward-a nurse's websocket client: signs in, opens {@code /ws?ward=ward-a}, keeps per bed the epochs it holds
     * (snapshot, then stage updates) and counts anything wrong; reconnects when the socket closes, with the token of
     * its one sign-in and a fresh one-time ticket per socket (as the page does).
     */
    private static final class WardClient {
        private static final JsonObject CLOSED = new JsonObject().put("type", "closed");
        private final Vertx vertx;
        private final int port;
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private final LinkedBlockingQueue<JsonObject> inbox = new LinkedBlockingQueue<>();
        final Map<String, TreeMap<Long, String>> stages = new ConcurrentHashMap<>();
        private final Map<String, Long> seq = new HashMap<>();
        private ClientWebSocket ws;
        /** Held while its socket is open: Vert.x closes an unreachable client and its connections. */
        private WebSocketClient wsClient;
        long updates;
        long snapshots;
        long reconnects;
        long seqGaps;
        long outOfOrder;
        long duplicates;
        long otherWard;
        long signIns;
        private String token;

        WardClient(Vertx vertx, int port) {
            this.vertx = vertx;
            this.port = port;
        }

        long minEpochs() {
            return BEDS.stream().mapToLong(b -> stages.getOrDefault(b, new TreeMap<>()).size()).min().orElse(0);
        }

        Map<String, TreeMap<Long, String>> copy() {
            Map<String, TreeMap<Long, String>> out = new HashMap<>();
            stages.forEach((b, m) -> out.put(b, new TreeMap<>(m)));
            return out;
        }

        /** Signs in and opens the ward socket, retrying while the dashboard is not listening yet. */
        void connect(ServiceProcess dashboard, Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                assertThat(dashboard.isAlive()).as("dashboard running; log:\n%s", dashboard.logTail()).isTrue();
                try {
                    if (token == null) {
                        token = signIn();
                        signIns++;
                    }
                    String ticket = ticket();
                    WebSocketClient client = vertx.createWebSocketClient();
                    ClientWebSocket s = client.webSocket();
                    s.textMessageHandler(t -> inbox.add(new JsonObject(t)));
                    s.closeHandler(v -> inbox.add(CLOSED));
                    s.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws?ward=ward-a&ticket=" + ticket))
                            .toCompletionStage().toCompletableFuture()
                            .get(30, TimeUnit.SECONDS);
                    ws = s;
                    if (wsClient != null) {
                        wsClient.close(); // the previous connection's client: that socket is closed already
                    }
                    wsClient = client;
                    seq.clear();
                    return;
                } catch (IOException | java.util.concurrent.ExecutionException e) {
                    assertThat(System.nanoTime()).as("dashboard reachable in time: %s; log:\n%s", e, dashboard.logTail())
                            .isLessThan(deadline);
                    Thread.sleep(200); // poll again: the dashboard is still starting
                }
            }
        }

        private String signIn() throws Exception {
            String body = "{\"user\":\"nurse\",\"password\":\"" + PASSWORD + "\"}";
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/login"))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("sign-in: %s", r.body()).isEqualTo(200);
            return JsonCodec.mapper().readTree(r.body()).get("token").asText();
        }

        /** A one-time websocket ticket, as the page opens its socket; the token must still be accepted after a kill. */
        private String ticket() throws Exception {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/ws-ticket"))
                    .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("ws-ticket with the token from the first sign-in: %s", r.body()).isEqualTo(200);
            return JsonCodec.mapper().readTree(r.body()).get("ticket").asText();
        }

        interface Condition {
            boolean holds(WardClient c);
        }

        /** Applies messages until {@code done} holds; reconnects when the socket closes. */
        void followUntil(Condition done, ServiceProcess dashboard, Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!done.holds(this)) {
                assertThat(System.nanoTime()).as("client state in time: epochs per bed %s; dashboard log:\n%s",
                        sizes(), dashboard.logTail()).isLessThan(deadline);
                JsonObject m = inbox.poll(500, TimeUnit.MILLISECONDS);
                if (m == null) {
                    continue;
                }
                switch (m.getString("type")) {
                    case "closed" -> {
                        reconnects++;
                        connect(dashboard, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                    }
                    case "snapshot" -> snapshot(m);
                    case "update" -> update(m);
                    default -> { } // eeg/emg frames: not part of the numbered night
                }
            }
        }

        private void snapshot(JsonObject m) {
            snapshots++;
            for (Object o : m.getJsonArray("beds")) {
                JsonObject b = (JsonObject) o;
                String bed = b.getString("bed");
                if (!BEDS.contains(bed)) {
                    otherWard++;
                    continue;
                }
                TreeMap<Long, String> night = new TreeMap<>();
                for (Object s : b.getJsonArray("stages")) {
                    JsonObject st = (JsonObject) s;
                    if (night.put(st.getLong("i"), st.getString("stage")) != null) {
                        duplicates++;
                    }
                }
                stages.put(bed, night);
                seq.put(bed, b.getLong("seq"));
            }
        }

        private void update(JsonObject m) {
            String bed = m.getString("bed");
            if (!BEDS.contains(bed)) {
                otherWard++;
                return;
            }
            updates++;
            Long last = seq.get(bed);
            if (last == null || m.getLong("seq") != last + 1) {
                seqGaps++;
            }
            seq.put(bed, m.getLong("seq"));
            if (m.getString("kind").equals("stage")) {
                JsonObject d = m.getJsonObject("data");
                TreeMap<Long, String> night = stages.computeIfAbsent(bed, b -> new TreeMap<>());
                long i = d.getLong("i");
                if (night.containsKey(i)) {
                    duplicates++;
                } else if (!night.isEmpty() && i != night.lastKey() + 1) {
                    outOfOrder++;
                }
                night.put(i, d.getString("stage"));
            }
        }

        private Map<String, Integer> sizes() {
            Map<String, Integer> out = new TreeMap<>();
            stages.forEach((b, m) -> out.put(b, m.size()));
            return out;
        }

        void close() throws Exception {
            if (ws != null) {
                ws.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
                wsClient.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
        }
    }
}
