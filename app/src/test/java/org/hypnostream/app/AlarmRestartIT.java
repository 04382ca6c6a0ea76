package org.hypnostream.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.hypnostream.broker.EmbeddedKafka;
import org.hypnostream.common.event.AlarmNotice;
import org.hypnostream.common.event.Alert;
import org.hypnostream.common.event.AlertState;
import org.hypnostream.common.event.BedInfo;
import org.hypnostream.common.event.JsonCodec;
import org.hypnostream.common.time.ManualClock;
import org.hypnostream.common.time.Micros;
import org.hypnostream.common.topic.Topic;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.common.wire.LegWindow;
import org.hypnostream.dashboard.auth.Role;
import org.hypnostream.dashboard.auth.UserDirectory;
import org.hypnostream.stream.StreamProcessorApp;
import org.hypnostream.stream.StreamProcessorMain;
import org.hypnostream.stream.alarm.AlarmEscalationTopology;
import org.hypnostream.stream.alarm.EscalationConfig;
import org.hypnostream.stream.plm.PlmConfig;
import org.hypnostream.stream.plm.PlmTopology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An alarm that survives the restart of every service (issue #18, ADR 0013). A real broker in this JVM; the stream
 * processor's PLM and alarm escalation topologies in this JVM on a manual clock; the dashboard as a child JVM
 * ({@code hypnostream dashboard}). A flat leg channel raises a technical alarm; unacknowledged it is escalated to the
 * technologist, who sees it in {@code GET /api/escalations} (the nurse does not; the nurse may pause its audio but
 * not turn it off: 403). Then the dashboard gets SIGKILL and the stream processor is closed, and both start again
 * (the stream processor on an empty state directory): the restarted dashboard shows the alarm still active, escalated
 * once, its audio pause remembered; the restarted stream processor goes on reminding (not forgotten), raises no
 * second alarm for the still-flat channel and escalates no second time; the technologist's acknowledgement ends it.
 */
class AlarmRestartIT {
    /** Now: the dashboard (a child JVM) stamps actions with the wall clock, the topologies use {@link #clock}. */
    private static final Instant T0 = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String PASSWORD = "alarm-restart-pw";

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(T0);
    private final HttpClient http = HttpClient.newHttpClient();

    private StreamProcessorApp streams(EmbeddedKafka kafka, String stateDir) throws InterruptedException {
        EscalationConfig cfg = new EscalationConfig(Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(10),
                Duration.ZERO, Duration.ofMinutes(5), "physician", "technologist", "", 1);
        StreamProcessorApp app = StreamProcessorApp.start(kafka.bootstrapServers(), dir.resolve(stateDir), new SimpleMeterRegistry(),
                Map.of(), List.of(new StreamProcessorApp.Spec(StreamProcessorMain.PLM_APPLICATION_ID, PlmTopology.build(PlmConfig.defaults(), clock)),
                        new StreamProcessorApp.Spec(StreamProcessorMain.ALARM_APPLICATION_ID, AlarmEscalationTopology.build(cfg, clock))));
        assertThat(app.awaitRunning(WAIT)).isTrue();
        return app;
    }

    @Test
    void anEscalatedAlarmSurvivesAKilledDashboardAndARestartedStreamProcessor() throws Exception {
        Path users = dir.resolve("users.txt");
        Files.writeString(users, String.join("\n",
                UserDirectory.line("nurse", Set.of("ward-a"), PASSWORD.toCharArray(), 10_000, Role.NURSE),
                UserDirectory.line("tech", Set.of("ward-a"), PASSWORD.toCharArray(), 10_000, Role.TECHNOLOGIST),
                UserDirectory.line("doc", Set.of("ward-a"), PASSWORD.toCharArray(), 10_000, Role.PHYSICIAN)) + "\n");
        int port = freePort();
        String base = "http://127.0.0.1:" + port;
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("broker"));
                KafkaProducer<String, byte[]> producer = producer(kafka.bootstrapServers());
                ServiceProcess dashboard = new ServiceProcess("dashboard", Map.of(
                        "kafka.bootstrap.servers", kafka.bootstrapServers(),
                        "dashboard.http.host", "127.0.0.1",
                        "dashboard.http.port", Integer.toString(port),
                        "dashboard.users.file", users.toString(),
                        "dashboard.session.dir", dir.resolve("sessions").toString()), dir.resolve("logs"))) {
            kafka.createTopics(1);
            send(producer, Topics.BEDS, "bed-1", new BedInfo("bed-1", "ward-a", "Bed 1", T0, List.of(), "WASM2016"));
            dashboard.start();
            StreamProcessorApp app = streams(kafka, "state-a");
            String alertId;
            try {
                send(producer, Topics.LEG_WINDOWS, "bed-1", flatLeftWindow(0));
                alertId = flat(awaitAll(kafka, Topics.ALERTS, l -> flat(l).size() == 1)).get(0).alertId();
                clock.set(T0.plus(Duration.ofMinutes(6)));
                String id = alertId;
                awaitAll(kafka, Topics.ALARM_NOTICES, l -> l.stream().anyMatch(n -> n.noticeId().equals(id + ":ESCALATED:1")));

                String nurse = login(base, "nurse");
                String tech = login(base, "tech");
                String doc = login(base, "doc");
                JsonNode esc = awaitJson(base + "/api/escalations", tech, j -> find(j, "escalations", id) != null);
                assertThat(find(esc, "escalations", id).get("alarm").get("escalatedTo").asText()).isEqualTo("technologist");
                assertThat(find(get(base + "/api/escalations", nurse), "escalations", id)).as("not routed to the nurse").isNull();
                assertThat(find(get(base + "/api/escalations", doc), "escalations", id)).as("a technical alarm: not the physician's")
                        .isNull();
                String path = base + "/api/beds/bed-1/alerts/" + alertId;
                assertThat(post(path + "/alarm-off", nurse, "{\"comment\":\"annoying\"}").statusCode()).as("a nurse may not turn an alarm off")
                        .isEqualTo(403);
                assertThat(post(path + "/audio-pause", nurse, "{\"seconds\":600}").statusCode()).isEqualTo(202);
                awaitJson(base + "/api/beds/bed-1/alerts", nurse, j -> !find(j, "alerts", id).get("alarm").get("audioPausedUntil").isNull());
            } finally {
                app.close();
            }
            dashboard.kill(); // SIGKILL while the alarm is active and escalated
            assertThat(dashboard.isAlive()).isFalse();

            dashboard.start();
            app = streams(kafka, "state-b"); // an empty state directory: the stores come back from their changelogs
            try {
                String tech = login(base, "tech");
                String id = alertId;
                JsonNode esc = awaitJson(base + "/api/escalations", tech, j -> find(j, "escalations", id) != null);
                JsonNode alarm = find(esc, "escalations", id).get("alarm");
                assertThat(alarm.get("escalated").asBoolean()).isTrue();
                assertThat(alarm.get("audioPausedUntil").isNull()).as("the audio pause outlived the kill").isFalse();
                assertThat(alarm.get("reminders").asInt()).isEqualTo(1);

                send(producer, Topics.LEG_WINDOWS, "bed-1", flatLeftWindow(1)); // still flat
                clock.set(T0.plus(Duration.ofMinutes(17))); // the audio pause (10 min of wall clock from ~T0) is over
                awaitAll(kafka, Topics.ALARM_NOTICES, l -> l.stream().anyMatch(n -> n.noticeId().equals(id + ":REMINDER:2")));
                awaitJson(base + "/api/beds/bed-1/alerts", tech, j -> find(j, "alerts", id).get("alarm").get("reminders").asInt() == 2);

                assertThat(post(base + "/api/beds/bed-1/alerts/" + alertId + "/acknowledge", tech, "{}").statusCode()).isEqualTo(202);
                awaitJson(base + "/api/escalations", tech, j -> find(j, "escalations", id) == null);
            } finally {
                app.close();
            }

            List<AlarmNotice> notices = readAll(kafka, Topics.ALARM_NOTICES);
            String id = alertId;
            assertThat(notices).filteredOn(n -> n.alertId().equals(id) && n.kind().equals(AlarmNotice.ESCALATED))
                    .as("escalated once across both restarts").hasSize(1);
            assertThat(notices).extracting(AlarmNotice::noticeId).doesNotHaveDuplicates();
            assertThat(flat(readAll(kafka, Topics.ALERTS))).as("the still-flat channel raised no second alarm").hasSize(1);
        }
    }

    /** The element of array {@code field} of {@code j} with this alertId, or null. */
    private static JsonNode find(JsonNode j, String field, String alertId) {
        for (JsonNode x : j.get(field)) {
            if (x.get("alertId").asText().equals(alertId)) {
                return x;
            }
        }
        return null;
    }

    private static List<Alert> flat(List<Alert> all) {
        return all.stream().filter(a -> a.code().equals("LEG_CHANNEL_FLAT") && a.state() == AlertState.ACTIVE).toList();
    }

    private static LegWindow flatLeftWindow(long index) {
        float[] ok = new float[LegWindow.SAMPLES];
        java.util.Random r = new java.util.Random(index + 1);
        for (int i = 0; i < ok.length; i++) {
            ok[i] = (float) (2 * r.nextGaussian());
        }
        return new LegWindow("bed-1", index, Micros.of(T0) + index * 12_000_000L, 200, 2400, new float[LegWindow.SAMPLES], ok,
                Set.of(), Set.of(), 0);
    }

    private String login(String base, String user) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/login"))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                                "{\"user\":\"" + user + "\",\"password\":\"" + PASSWORD + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as("sign-in of %s: %s", user, r.body()).isEqualTo(200);
                return JsonCodec.mapper().readTree(r.body()).get("token").asText();
            } catch (IOException notListeningYet) {
                assertThat(System.nanoTime()).as("the dashboard listens within %s", WAIT).isLessThan(deadline);
                pause();
            }
        }
    }

    private JsonNode get(String url, String token) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 ? JsonCodec.mapper().readTree(r.body()) : null;
    }

    private HttpResponse<String> post(String url, String token, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Polls {@code url} until its JSON satisfies {@code done}; fails after {@link #WAIT}. */
    private JsonNode awaitJson(String url, String token, Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = get(url, token);
            if (last != null && done.test(last)) {
                return last;
            }
            pause();
        }
        throw new AssertionError(url + " did not get there within " + WAIT + "; last answer: " + last);
    }

    private synchronized void pause() throws InterruptedException {
        wait(200); // between two polls of a real condition
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static KafkaProducer<String, byte[]> producer(String servers) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    private static <V> void send(KafkaProducer<String, byte[]> producer, Topic<String, V> t, String key, V value) throws Exception {
        producer.send(new ProducerRecord<>(t.name(), key, t.valueSerde().serializer().serialize(t.name(), value))).get();
    }

    private static <V> KafkaConsumer<String, V> consumer(EmbeddedKafka kafka, Topic<String, V> t) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        KafkaConsumer<String, V> c = new KafkaConsumer<>(p, new StringDeserializer(), t.valueSerde().deserializer());
        TopicPartition tp = new TopicPartition(t.name(), 0);
        c.assign(List.of(tp));
        c.seekToBeginning(List.of(tp));
        return c;
    }

    /** Re-reads the topic (read_committed) until {@code done} holds for what it holds, or fails after {@link #WAIT}. */
    private static <V> List<V> awaitAll(EmbeddedKafka kafka, Topic<String, V> t, Predicate<List<V>> done) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<V> out = new ArrayList<>();
        try (KafkaConsumer<String, V> c = consumer(kafka, t)) {
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, V> r : c.poll(Duration.ofMillis(200))) {
                    out.add(r.value());
                }
                if (done.test(out)) {
                    return out;
                }
            }
        }
        throw new AssertionError("condition on " + t.name() + " not met within " + WAIT + "; " + out.size() + " records, the last: "
                + out.subList(Math.max(0, out.size() - 5), out.size()));
    }

    /** Everything in the topic once its transactions are settled. */
    private static <V> List<V> readAll(EmbeddedKafka kafka, Topic<String, V> t) {
        long end = kafka.settledEndOffsets(t.name(), WAIT).values().stream().mapToLong(Long::longValue).sum();
        List<V> out = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        try (KafkaConsumer<String, V> c = consumer(kafka, t)) {
            TopicPartition tp = new TopicPartition(t.name(), 0);
            while (c.position(tp) < end) {
                assertThat(System.nanoTime()).as("%s read to its end within %s", t.name(), WAIT).isLessThan(deadline);
                for (ConsumerRecord<String, V> r : c.poll(Duration.ofMillis(200))) {
                    out.add(r.value());
                }
            }
        }
        return out;
    }
}
