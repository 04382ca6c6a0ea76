package org.hypnostream.stream.plm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.hypnostream.common.time.ManualClock;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.stream.RawStores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlmStateUpgradeTest {
    static final int EPOCHS = 360;
    static final int CUT_EPOCH = 200;
    static final List<String> STORES = List.of(PlmTopology.BED_STATE_STORE, PlmTopology.ALARM_STORE);

    @TempDir
    Path dir;

    final ManualClock clock = new ManualClock(PlmFixtures.START);

    TopologyTestDriver driver(String sub) throws IOException {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "hypnostream-plm");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
        p.put(StreamsConfig.STATE_DIR_CONFIG, Files.createDirectories(dir.resolve(sub)).toString());
        clock.set(PlmFixtures.START);
        return new TopologyTestDriver(PlmTopology.build(PlmConfig.defaults(), clock), p, clock.instant());
    }

    /** Index of the first record after the stage event of epoch {@code epoch - 1}. */
    static int cut(List<SyntheticPlmNight.In> in, long epoch) {
        int stages = 0;
        for (int i = 0; i < in.size(); i++) {
            if (in.get(i).topic().equals(Topics.STAGE_EVENTS.name()) && ++stages == epoch) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException("the night has fewer than " + epoch + " epochs");
    }

    /** Pipes records [from, to) and returns every output record, as "topic hex", per topic in order. */
    List<String> pipe(TopologyTestDriver d, List<SyntheticPlmNight.In> in, int from, int to) {
        for (int i = from; i < to; i++) {
            SyntheticPlmNight.In r = in.get(i);
            Duration ahead = Duration.between(clock.instant(), r.wallClock());
            if (!ahead.isNegative()) {
                clock.set(r.wallClock());
                d.advanceWallClockTime(ahead);
            }
            d.createInputTopic(r.topic(), new StringSerializer(), new ByteArraySerializer())
                    .pipeInput(SyntheticPlmNight.BED, r.value(), r.wallClock());
        }
        List<String> out = new ArrayList<>();
        for (String topic : List.of(Topics.PLM_EVENTS.name(), Topics.ALERTS.name(), Topics.DEAD_LETTER.name())) {
            for (byte[] v : d.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer()).readValuesToList()) {
                out.add(topic + " " + HexFormat.of().formatHex(v));
            }
        }
        return out;
    }

    @Test
    void capture() throws IOException {
        List<SyntheticPlmNight.In> in = SyntheticPlmNight.records(EPOCHS);
        int cut = cut(in, CUT_EPOCH);
        try (TopologyTestDriver d = driver("capture")) {
            List<String> out = pipe(d, in, 0, cut);
            System.out.println("records " + in.size() + " cut " + cut + " outputs " + out.size() + " alerts "
                    + out.stream().filter(s -> s.startsWith("alerts")).count());
            Files.writeString(Path.of("/tmp/plm-capture.txt"), RawStores.dump(d, STORES));
        }
    }
}
