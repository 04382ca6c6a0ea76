package org.hypnostream.stream.alarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.common.TopicPartition;
import org.hypnostream.broker.EmbeddedKafka;
import org.hypnostream.common.event.AlarmNotice;
import org.hypnostream.common.event.Alert;
import org.hypnostream.common.event.AlertAction;
import org.hypnostream.common.event.AlertState;
import org.hypnostream.common.time.ManualClock;
import org.hypnostream.common.time.Micros;
import org.hypnostream.common.topic.Topic;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.common.wire.LegWindow;
import org.hypnostream.stream.StreamProcessorApp;
import org.hypnostream.stream.StreamProcessorMain;
import org.hypnostream.stream.plm.PlmConfig;
import org.hypnostream.stream.plm.PlmTopology;
import org.hypnostream.testkit.GroupProgress;
import org.hypnostream.testkit.TestProducer;
import org.hypnostream.testkit.TopicReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PLM and alarm escalation topologies against a real broker under exactly_once_v2, on a manual clock: a flat leg
 * channel raises a technical alarm; unacknowledged it is re-announced and escalated to the technologist, acknowledged
 * (another bed) it is not. Then the stream processor is closed and started again on an EMPTY state directory (its state
 * comes back from the changelogs): the alarm is neither forgotten (its reminders go on, numbered on) nor raised again
 * (the flat channel is still flat) nor escalated a second time.
 */
class AlarmEscalationIT {
    private static final Instant T0 = Instant.parse("2026-03-02T01:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(T0);
    private final EscalationConfig cfg = new EscalationConfig(Duration.ofMinutes(2), Duration.ofMinutes(5),
            Duration.ofMinutes(10), Duration.ZERO, Duration.ofMinutes(5), "physician", "technologist", "", 1);

    private StreamProcessorApp start(EmbeddedKafka kafka, String stateDir) throws InterruptedException {
        StreamProcessorApp app = StreamProcessorApp.start(kafka.bootstrapServers(), dir.resolve(stateDir), new SimpleMeterRegistry(),
                Map.of(), List.of(new StreamProcessorApp.Spec(StreamProcessorMain.PLM_APPLICATION_ID, PlmTopology.build(PlmConfig.defaults(), clock)),
                        new StreamProcessorApp.Spec(AlarmEscalationTopology.APPLICATION_ID, AlarmEscalationTopology.build(cfg, clock))));
        assertThat(app.awaitRunning(WAIT)).isTrue();
        return app;
    }

    @Test
    void anUnacknowledgedAlarmIsRemindedAndEscalatedOnceAcrossARestartAndAnAcknowledgedOneIsNot() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"));
                TestProducer producer = TestProducer.to(kafka.bootstrapServers())) {
            kafka.createTopics(1);
            StreamProcessorApp app = start(kafka, "state-a");
            Alert one;
            try {
                producer.send(Topics.LEG_WINDOWS, "bed-1", flatLeftWindow("bed-1", 0));
                producer.send(Topics.LEG_WINDOWS, "bed-2", flatLeftWindow("bed-2", 0));
                List<Alert> raised = awaitAll(kafka, Topics.ALERTS, l -> flat(l, "bed-1").size() == 1 && flat(l, "bed-2").size() == 1);
                one = flat(raised, "bed-1").get(0);
                Alert two = flat(raised, "bed-2").get(0);
                assertThat(one.state()).isEqualTo(AlertState.ACTIVE);

                producer.send(Topics.ALERT_ACTIONS, "bed-2", new AlertAction(two.alertId(), "bed-2", AlertAction.ACKNOWLEDGE,
                        "nurse.jones", clock.instant(), 0, "seen"));
                awaitAll(kafka, Topics.ALERTS, l -> l.stream().anyMatch(a -> a.alertId().equals(two.alertId())
                        && a.state() == AlertState.ACKNOWLEDGED));
                awaitConsumed(kafka, AlarmEscalationTopology.APPLICATION_ID, Topics.ALERTS.name(), Topics.ALERT_ACTIONS.name());

                clock.set(T0.plus(Duration.ofMinutes(3)));
                String id = one.alertId();
                awaitAll(kafka, Topics.ALARM_NOTICES, l -> ids(l, id).contains(id + ":REMINDER:1"));
                clock.set(T0.plus(Duration.ofMinutes(6)));
                List<AlarmNotice> n = awaitAll(kafka, Topics.ALARM_NOTICES, l -> ids(l, id).contains(id + ":ESCALATED:1"));
                AlarmNotice esc = n.stream().filter(x -> x.noticeId().equals(id + ":ESCALATED:1")).findFirst().orElseThrow();
                assertThat(esc.targetRole()).isEqualTo("technologist");
                assertThat(esc.by()).isEqualTo(AlarmEscalation.ACTOR);
                assertThat(esc.code()).isEqualTo("LEG_CHANNEL_FLAT");
            } finally {
                app.close();
            }

            app = start(kafka, "state-b"); // empty state directory: state comes back from the changelog topics
            try {
                producer.send(Topics.LEG_WINDOWS, "bed-1", flatLeftWindow("bed-1", 1)); // still flat: no second alert
                awaitConsumed(kafka, StreamProcessorMain.PLM_APPLICATION_ID, Topics.LEG_WINDOWS.name());
                clock.set(T0.plus(Duration.ofMinutes(9)));
                String id = one.alertId();
                awaitAll(kafka, Topics.ALARM_NOTICES, l -> ids(l, id).contains(id + ":REMINDER:3"));
                clock.set(T0.plus(Duration.ofMinutes(20)));
                awaitAll(kafka, Topics.ALARM_NOTICES, l -> ids(l, id).contains(id + ":REMINDER:4"));
            } finally {
                app.close();
            }

            List<AlarmNotice> notices = readAll(kafka, Topics.ALARM_NOTICES);
            List<AlarmNotice> ofOne = notices.stream().filter(x -> x.alertId().equals(flatId(notices, "bed-1"))).toList();
            assertThat(ofOne).extracting(AlarmNotice::noticeId).doesNotHaveDuplicates();
            assertThat(ofOne).filteredOn(x -> x.kind().equals(AlarmNotice.ESCALATED)).as("escalated once, not again after the restart")
                    .hasSize(1);
            assertThat(notices).as("the acknowledged alarm of bed-2 is neither reminded nor escalated")
                    .noneMatch(x -> x.code().equals("LEG_CHANNEL_FLAT") && x.bedId().equals("bed-2"));
            List<Alert> alerts = readAll(kafka, Topics.ALERTS);
            assertThat(flat(alerts, "bed-1")).as("the still-flat channel after the restart raised no second alarm").hasSize(1);
        }
    }

    private static String flatId(List<AlarmNotice> ns, String bed) {
        return ns.stream().filter(n -> n.bedId().equals(bed) && n.code().equals("LEG_CHANNEL_FLAT")).map(AlarmNotice::alertId)
                .findFirst().orElseThrow();
    }

    private static List<String> ids(List<AlarmNotice> ns, String alertId) {
        return ns.stream().filter(n -> n.alertId().equals(alertId)).map(AlarmNotice::noticeId).toList();
    }

    /** The ACTIVE raises of the left-leg flat alarm of {@code bed}. */
    private static List<Alert> flat(List<Alert> all, String bed) {
        return all.stream().filter(a -> a.bedId().equals(bed) && a.code().equals("LEG_CHANNEL_FLAT")
                && a.state() == AlertState.ACTIVE).toList();
    }

    private static LegWindow flatLeftWindow(String bed, long index) {
        float[] ok = new float[LegWindow.SAMPLES];
        java.util.Random r = new java.util.Random(index + 1);
        for (int i = 0; i < ok.length; i++) {
            ok[i] = (float) (2 * r.nextGaussian());
        }
        return new LegWindow(bed, index, Micros.of(T0) + index * 12_000_000L, 200, 2400, new float[LegWindow.SAMPLES], ok,
                Set.of(), Set.of(), 0);
    }

    /** Re-reads the topic (read_committed) until {@code done} holds for everything in it, or fails after {@link #WAIT}. */
    private static <V> List<V> awaitAll(EmbeddedKafka kafka, Topic<String, V> t, Predicate<List<V>> done) {
        return TopicReader.at(kafka.bootstrapServers()).awaitValues(t, done, WAIT);
    }

    /** Everything in the topic once its transactions are settled. */
    private static <V> List<V> readAll(EmbeddedKafka kafka, Topic<String, V> t) {
        return TopicReader.at(kafka.bootstrapServers()).values(t, kafka.settledEndOffsets(t.name(), WAIT));
    }

    /** Waits until {@code group} committed (with its transaction) every record now in {@code topics}. */
    private static void awaitConsumed(EmbeddedKafka kafka, String group, String... topics) {
        Map<TopicPartition, Long> ends = new HashMap<>();
        for (String topic : topics) {
            ends.putAll(kafka.settledEndOffsets(topic, WAIT));
        }
        GroupProgress.at(kafka.bootstrapServers()).awaitCaughtUp(group, ends, WAIT);
    }
}
