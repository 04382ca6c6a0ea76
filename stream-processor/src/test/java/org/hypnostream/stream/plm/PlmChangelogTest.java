package org.hypnostream.stream.plm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.hypnostream.common.event.Stage;
import org.hypnostream.common.time.ManualClock;
import org.hypnostream.common.time.Micros;
import org.hypnostream.common.topic.Topic;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.common.wire.LegWindow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PLM topology's changelog records (ADR 0031): a record that leaves a bed's alarm state as it was does not write
 * it again (the stage and leg events of a quiet bed), one that changes it does (a leg window: the bed's last data time).
 */
class PlmChangelogTest {
    @TempDir
    Path dir;

    @Test
    void anUnchangedAlarmStateIsNotWrittenAgain() {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "hypnostream-plm");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
        p.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString());
        ManualClock clock = new ManualClock(PlmFixtures.NOW);
        try (TopologyTestDriver d = new TopologyTestDriver(PlmTopology.build(PlmConfig.defaults(), clock), p, clock.instant())) {
            TestOutputTopic<byte[], byte[]> bedLog = changelog(d, PlmTopology.BED_STATE_STORE);
            TestOutputTopic<byte[], byte[]> alarmLog = changelog(d, PlmTopology.ALARM_STORE);
            float[] ok = new float[LegWindow.SAMPLES];
            Random r = new Random(3);
            for (int i = 0; i < ok.length; i++) {
                ok[i] = (float) (2 * r.nextGaussian());
            }
            send(d, Topics.LEG_WINDOWS, new LegWindow("bed-1", 0, Micros.of(PlmFixtures.START), 200, 2400, ok, ok, Set.of(),
                    Set.of(), 0));
            // a new bed: its conditions are written, then the PLM finding's condition joins them
            assertThat(alarmLog.readValuesToList()).hasSize(2);
            assertThat(bedLog.readValuesToList()).hasSize(1);
            for (int e = 0; e < 5; e++) {
                send(d, Topics.STAGE_EVENTS, PlmFixtures.stage("bed-1", e, Stage.W));
            }
            send(d, Topics.LEG_EVENTS, PlmFixtures.leg("bed-1", org.hypnostream.common.event.LegSide.LEFT, 40, 41.5));
            assertThat(bedLog.readValuesToList()).as("the bed state changes with every record").hasSize(6);
            assertThat(alarmLog.readValuesToList()).as("nothing changed the alarm state").isEmpty();
            send(d, Topics.LEG_WINDOWS, new LegWindow("bed-1", 1, Micros.of(PlmFixtures.START), 200, 2400, ok, ok, Set.of(),
                    Set.of(), 0));
            assertThat(alarmLog.readValuesToList()).as("a leg window: the bed's last data time changed, once").hasSize(1);
        }
    }

    private static <T> void send(TopologyTestDriver d, Topic<String, T> t, T value) {
        d.createInputTopic(t.name(), new StringSerializer(), new ByteArraySerializer())
                .pipeInput("bed-1", t.valueSerde().serializer().serialize(t.name(), value));
    }

    private static TestOutputTopic<byte[], byte[]> changelog(TopologyTestDriver d, String store) {
        return d.createOutputTopic("hypnostream-plm-" + store + "-changelog", new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }
}
