package org.hypnostream.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.common.TopicPartition;
import org.hypnostream.broker.EmbeddedKafka;
import org.hypnostream.common.event.AlarmNotice;
import org.hypnostream.common.event.Alert;
import org.hypnostream.common.event.AlertState;
import org.hypnostream.common.event.BedInfo;
import org.hypnostream.common.event.JsonCodec;
import org.hypnostream.common.time.Micros;
import org.hypnostream.common.topic.Topic;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.common.wire.LegWindow;
import org.hypnostream.dashboard.auth.Role;
import org.hypnostream.dashboard.auth.UserDirectory;
import org.hypnostream.stream.StreamProcessorMain;
import org.hypnostream.testkit.GroupProgress;
import org.hypnostream.testkit.TestProducer;
import org.hypnostream.testkit.TopicReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An alarm that survives the restart of every service (issue #18, ADR 0013), both restarts being SIGKILLs. A real
 * broker in this JVM; the stream processor ({@code hypnostream stream-processor}: spine, PLM and alarm escalation
 * topologies on the wall clock) and the dashboard ({@code hypnostream dashboard}) as child JVMs, the escalation timing
 * made short through the service's own {@code alarm.*} keys (a reminder every {@value #REMIND_S} s, a technical alarm
 * escalated after {@value #ESCALATE_S} s). A flat leg channel raises a technical alarm; unacknowledged it is escalated
 * to the technologist, who sees it in {@code GET /api/escalations} (the nurse does not; the nurse may pause its audio
 * but not turn it off: 403). Then both children get SIGKILL (no shutdown hook, no transaction abort) while the alarm is
 * active, escalated and unacknowledged, and both start again, the stream processor on the SAME state directory (what a
 * restarted container with its volume finds: local state the killed instance left without a checkpoint, which
 * exactly-once Streams treats as corrupt, wipes and restores from the changelogs; the test prints whether it did; an
 * empty state directory, the plain restore, is {@code AlarmEscalationIT}'s case). The restarted dashboard shows the
 * alarm still active, escalated, its audio pause remembered; the restarted stream processor's wall-clock punctuation
 * goes on reminding with the next number (not forgotten, not counting from 1 again), raises no second alarm for the
 * still-flat channel and escalates no second time; the technologist's acknowledgement ends it.
 */
class AlarmRestartIT {
    /** The leg windows' stream time; everything else (alerts, notices, actions) is stamped by the children's wall clock. */
    private static final Instant T0 = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String PASSWORD = "alarm-restart-pw";
    /** alarm.reminder-seconds of the child stream processor. */
    static final int REMIND_S = 2;
    /** alarm.escalate.technical-seconds of the child stream processor. */
    static final int ESCALATE_S = 6;
    /** The nurse's audio pause: short, so that reminders are due again across the restart. */
    private static final int PAUSE_S = 4;

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    /** Children that must stay alive while the test waits for something (a dead one fails it at once, with its log). */
    private final List<ServiceProcess> watched = new ArrayList<>();

    private ServiceProcess streamProcessor(String bootstrap) {
        return new ServiceProcess("stream-processor", Map.of(
                "kafka.bootstrap.servers", bootstrap,
                // the killed instance's group membership ends with its session (it cannot leave the group)
                "kafka.session.timeout.ms", "6000",
                "stream.state.dir", dir.resolve("streams").toString(),
                "stream.metrics.host", "127.0.0.1",
                "stream.metrics.port", "0",
                "alarm.reminder-seconds", Integer.toString(REMIND_S),
                "alarm.escalate.technical-seconds", Integer.toString(ESCALATE_S),
                "alarm.punctuate-seconds", "1",
                // no STREAM_STALLED alarm while the test sends no leg windows; not what this test is about
                "plm.stall-seconds", "3600"), dir.resolve("logs"));
    }

    @Test
    void anEscalatedAlarmSurvivesAKilledDashboardAndAKilledStreamProcessor() throws Exception {
        long started = System.nanoTime();
        Path users = dir.resolve("users.txt");
        Files.writeString(users, String.join("\n",
                UserDirectory.line("nurse", Set.of("ward-a"), PASSWORD.toCharArray(), 10_000, Role.NURSE),
                UserDirectory.line("tech", Set.of("ward-a"), PASSWORD.toCharArray(), 10_000, Role.TECHNOLOGIST),
                UserDirectory.line("doc", Set.of("ward-a"), PASSWORD.toCharArray(), 10_000, Role.PHYSICIAN)) + "\n");
        int port = freePort();
        String base = "http://127.0.0.1:" + port;
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("broker"));
                TestProducer producer = TestProducer.to(kafka.bootstrapServers());
                ServiceProcess dashboard = new ServiceProcess("dashboard", Map.of(
                        "kafka.bootstrap.servers", kafka.bootstrapServers(),
                        "dashboard.http.host", "127.0.0.1",
                        "dashboard.http.port", Integer.toString(port),
                        "dashboard.users.file", users.toString(),
                        "dashboard.session.dir", dir.resolve("sessions").toString()), dir.resolve("logs"));
                ServiceProcess streams = streamProcessor(kafka.bootstrapServers())) {
            kafka.createTopics(1);
            producer.send(Topics.BEDS, "bed-1", new BedInfo("bed-1", "ward-a", "Bed 1", T0, List.of(), "WASM2016"));
            dashboard.start();
            streams.start();
            watched.addAll(List.of(dashboard, streams));

            producer.send(Topics.LEG_WINDOWS, "bed-1", flatLeftWindow(0));
            Alert raised = flat(awaitAll(kafka, Topics.ALERTS, l -> flat(l).size() == 1)).get(0);
            String id = raised.alertId();
            List<AlarmNotice> early = awaitAll(kafka, Topics.ALARM_NOTICES, l -> count(l, id, AlarmNotice.ESCALATED) == 1);
            AlarmNotice escalation = of(early, id, AlarmNotice.ESCALATED).get(0);
            assertThat(escalation.targetRole()).isEqualTo("technologist");

            String nurse = login(base, "nurse");
            String tech = login(base, "tech");
            String doc = login(base, "doc");
            JsonNode esc = awaitJson(base + "/api/escalations", tech, j -> find(j, "escalations", id) != null);
            assertThat(find(esc, "escalations", id).get("alarm").get("escalatedTo").asText()).isEqualTo("technologist");
            assertThat(find(get(base + "/api/escalations", nurse), "escalations", id)).as("not routed to the nurse").isNull();
            assertThat(find(get(base + "/api/escalations", doc), "escalations", id)).as("a technical alarm: not the physician's")
                    .isNull();
            String path = base + "/api/beds/bed-1/alerts/" + id;
            assertThat(post(path + "/alarm-off", nurse, "{\"comment\":\"annoying\"}").statusCode()).as("a nurse may not turn an alarm off")
                    .isEqualTo(403);
            assertThat(post(path + "/audio-pause", nurse, "{\"seconds\":" + PAUSE_S + "}").statusCode()).isEqualTo(202);
            awaitJson(base + "/api/beds/bed-1/alerts", nurse, j -> !find(j, "alerts", id).get("alarm").get("audioPausedUntil").isNull());

            // SIGKILL both while the alarm is active, escalated and unacknowledged
            watched.clear();
            dashboard.kill();
            streams.kill();
            Instant killedAt = Instant.now(); // every notice of the killed stream processor is stamped before this
            assertThat(dashboard.isAlive()).isFalse();
            assertThat(streams.isAlive()).isFalse();
            int remindedBeforeKill = maxReminder(TopicReader.at(kafka.bootstrapServers()).valuesNow(Topics.ALARM_NOTICES), id, killedAt);

            dashboard.start();
            streams.start(); // the same state directory as the killed instance
            watched.addAll(List.of(dashboard, streams));

            tech = login(base, "tech");
            esc = awaitJson(base + "/api/escalations", tech, j -> find(j, "escalations", id) != null
                    && find(j, "escalations", id).get("alarm").get("reminders").asInt() >= remindedBeforeKill);
            JsonNode alarm = find(esc, "escalations", id).get("alarm");
            assertThat(alarm.get("escalated").asBoolean()).isTrue();
            assertThat(alarm.get("escalatedTo").asText()).isEqualTo("technologist");
            assertThat(alarm.get("audioPausedUntil").isNull()).as("the audio pause outlived the kill").isFalse();

            // the restarted stream processor's punctuation resumes: the next reminder, numbered on from the last one
            List<AlarmNotice> resumed = awaitAll(kafka, Topics.ALARM_NOTICES, l -> of(l, id, AlarmNotice.REMINDER).stream()
                    .anyMatch(n -> n.at().isAfter(killedAt)));
            AlarmNotice firstAfter = of(resumed, id, AlarmNotice.REMINDER).stream().filter(n -> n.at().isAfter(killedAt)).findFirst()
                    .orElseThrow();
            int lastBefore = maxReminder(resumed, id, killedAt);
            assertThat(lastBefore).as("reminded before the kill").isGreaterThanOrEqualTo(1);
            assertThat(firstAfter.number()).as("the restarted stream processor reminds on with the next number, not forgotten")
                    .isEqualTo(lastBefore + 1);

            producer.send(Topics.LEG_WINDOWS, "bed-1", flatLeftWindow(1)); // still flat
            GroupProgress.at(kafka.bootstrapServers()).awaitCaughtUp(StreamProcessorMain.PLM_APPLICATION_ID,
                    Map.of(new TopicPartition(Topics.LEG_WINDOWS.name(), 0), 2L), WAIT, this::assertAlive);

            assertThat(post(path + "/acknowledge", tech, "{}").statusCode()).isEqualTo(202);
            awaitJson(base + "/api/escalations", tech, j -> find(j, "escalations", id) == null);
            watched.clear();

            List<AlarmNotice> notices = readAll(kafka, Topics.ALARM_NOTICES);
            assertThat(of(notices, id, AlarmNotice.ESCALATED)).as("escalated once across the kill").hasSize(1);
            assertThat(notices).extracting(AlarmNotice::noticeId).doesNotHaveDuplicates();
            List<Integer> numbers = of(notices, id, AlarmNotice.REMINDER).stream().map(AlarmNotice::number).toList();
            assertThat(numbers).as("reminders numbered 1, 2, ... across the kill: none lost, none repeated")
                    .isEqualTo(java.util.stream.IntStream.rangeClosed(1, numbers.size()).boxed().toList());
            List<Alert> alerts = readAll(kafka, Topics.ALERTS);
            assertThat(alerts.stream().filter(a -> a.code().equals("LEG_CHANNEL_FLAT")).map(Alert::alertId).distinct().toList())
                    .as("the still-flat channel raised no second alarm").containsExactly(id);

            // Kafka Streams' own words when an exactly-once task finds state but no checkpoint (reported, not asserted)
            boolean wiped = new String(Files.readAllBytes(streams.log()), java.nio.charset.StandardCharsets.ISO_8859_1)
                    .contains("did not find checkpoint offsets while stores are not empty");
            System.out.printf(java.util.Locale.ROOT, "alarm-restart (stream processor and dashboard SIGKILLed, same state dir,"
                    + " unclean local state wiped and restored from the changelogs: %s):"
                    + " escalated %.1f s after the raise (configured %d s); reminders before the kill %d (committed when killed %d),"
                    + " first after the restart #%d %.1f s after the kill; reminders in all %d, escalations %d; test wall %.1f s%n",
                    wiped ? "yes" : "no", Duration.between(raised.raisedAt(), escalation.at()).toMillis() / 1000.0, ESCALATE_S, lastBefore,
                    remindedBeforeKill, firstAfter.number(), Duration.between(killedAt, firstAfter.at()).toMillis() / 1000.0,
                    numbers.size(), of(notices, id, AlarmNotice.ESCALATED).size(), (System.nanoTime() - started) / 1e9);
        }
    }

    /** The notices of this kind for this alert, in topic order. */
    private static List<AlarmNotice> of(List<AlarmNotice> notices, String alertId, String kind) {
        return notices.stream().filter(n -> n.alertId().equals(alertId) && n.kind().equals(kind)).toList();
    }

    private static long count(List<AlarmNotice> notices, String alertId, String kind) {
        return of(notices, alertId, kind).size();
    }

    /** The highest reminder number stamped before {@code before}, 0 when none. */
    private static int maxReminder(List<AlarmNotice> notices, String alertId, Instant before) {
        return of(notices, alertId, AlarmNotice.REMINDER).stream().filter(n -> n.at().isBefore(before))
                .mapToInt(AlarmNotice::number).max().orElse(0);
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
        assertAlive();
        wait(200); // between two polls of a real condition
    }

    private void assertAlive() {
        for (ServiceProcess s : watched) {
            assertThat(s.isAlive()).as("a child service died; its log:\n%s", s.logTail()).isTrue();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Re-reads the topic (read_committed) until {@code done} holds for what it holds, or fails after {@link #WAIT}. */
    private <V> List<V> awaitAll(EmbeddedKafka kafka, Topic<String, V> t, Predicate<List<V>> done) {
        return TopicReader.at(kafka.bootstrapServers()).awaitValues(t, l -> {
            if (done.test(l)) {
                return true;
            }
            assertAlive();
            return false;
        }, WAIT);
    }

    /** Everything in the topic once its transactions are settled. */
    private static <V> List<V> readAll(EmbeddedKafka kafka, Topic<String, V> t) {
        return TopicReader.at(kafka.bootstrapServers()).values(t, kafka.settledEndOffsets(t.name(), WAIT));
    }
}
