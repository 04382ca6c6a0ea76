package org.hypnostream.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.hypnostream.broker.EmbeddedKafka;
import org.hypnostream.common.config.ModelsFolder;
import org.hypnostream.common.data.SharedData;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.common.wire.Epoch;
import org.hypnostream.ingest.edf.EdfFile;
import org.hypnostream.ingest.edf.EdfReader;
import org.hypnostream.ingest.edf.EdfSignal;
import org.hypnostream.testkit.TopicReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spine through a real in-process broker: gateway with outbox -> samples.v1 -> topology -> epochs. */
class SpineEndToEndIT {
    static final Path MODELS = ModelsFolder.resolve();

    @TempDir
    Path dir;

    @Test
    void replayOfTheSleepEdfSnippetYieldsTenEpochsEqualToTheEdfPhysicalValues() throws Exception {
        Path edf = SharedData.data("snippets", "edfio_short_psg_SC4001E0_first5min.edf");
        Demo.Settings s = new Demo.Settings(1, 0, null, List.of(edf), dir, 2, -1, 0L, MODELS);
        try (Demo demo = Demo.start(s, InstantSource.system())) {
            assertThat(demo.awaitQuiet(Duration.ofSeconds(120))).isTrue();
            List<Epoch> epochs = readEpochs(demo.bootstrapServers());
            assertThat(epochs).hasSize(10);
            EdfFile f = EdfReader.read(edf);
            Map<String, String> labels = Map.of("Fpz-Cz", "EEG Fpz-Cz", "Pz-Oz", "EEG Pz-Oz", "EOG", "EOG horizontal");
            for (int n = 0; n < 10; n++) {
                Epoch e = epochs.get(n);
                assertThat(e.index()).isEqualTo(n);
                assertThat(e.quality()).isEmpty();
                assertThat(e.sampleRateHz()).isEqualTo(100.0);
                assertThat(e.channelLabels()).containsExactly("Fpz-Cz", "Pz-Oz", "EOG");
                for (int c = 0; c < 3; c++) {
                    EdfSignal sig = signal(f, labels.get(e.channelLabels().get(c)));
                    float[] expected = new float[3000];
                    for (int i = 0; i < 3000; i++) {
                        expected[i] = (float) sig.microvolts()[n * 3000 + i];
                    }
                    assertThat(e.samples()[c]).as("epoch %d channel %s", n, e.channelLabels().get(c)).containsExactly(expected);
                }
            }
        }
    }

    @Test
    void brokerOutageOfThirtySecondsLosesAndDuplicatesNothing() throws Exception {
        // 2 synthetic beds at 10x for 6 minutes of device time; the broker goes down for 30 s in the middle
        Demo.Settings s = new Demo.Settings(2, 10, Duration.ofMinutes(6), List.of(), dir, 2, -1, 7L, MODELS);
        try (Demo demo = Demo.start(s, InstantSource.system())) {
            awaitDelivered(demo, 40);
            demo.kafka().stop();
            long journaledBefore = demo.gatewayStats().blocksJournaled();
            Thread.sleep(30_000); // the outage itself: the gateway keeps journaling while Kafka is down
            long journaledDuring = demo.gatewayStats().blocksJournaled() - journaledBefore;
            assertThat(journaledDuring).as("blocks journaled while Kafka was down").isGreaterThan(0);
            demo.kafka().restart();
            assertThat(demo.awaitQuiet(Duration.ofMinutes(3))).isTrue();

            TopicCounts c = TopicCounts.read(demo.bootstrapServers(), List.of(Topics.SAMPLES.name()));
            List<Epoch> epochs = readEpochs(demo.bootstrapServers());
            for (String bed : demo.bedIds()) {
                long journaled = demo.gatewayStats().beds().get(bed).blocksJournaled();
                assertThat(c.count(bed, Topics.SAMPLES.name())).as("distinct blocks of %s", bed).isEqualTo(journaled);
                List<Long> idx = epochs.stream().filter(e -> e.bedId().equals(bed)).map(Epoch::index).toList();
                assertThat(idx).as("epochs of %s: none missing, none twice", bed)
                        .containsExactlyElementsOf(java.util.stream.LongStream.range(0, 12).boxed().toList());
                assertThat(epochs.stream().filter(e -> e.bedId().equals(bed)).allMatch(e -> e.quality().isEmpty()))
                        .as("no gap in any epoch of %s", bed).isTrue();
            }
            System.out.printf("outage: journaled during outage=%d lost=0 duplicated=0%n", journaledDuring);
        }
    }

    private static void awaitDelivered(Demo demo, long blocks) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (demo.gatewayStats().blocksDelivered() < blocks) {
            assertThat(System.nanoTime()).as("gateway delivered %d blocks in time", blocks).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static EdfSignal signal(EdfFile f, String label) {
        return f.signals().stream().filter(s -> s.label().equals(label)).findFirst().orElseThrow();
    }

    /** The end offsets of a topic once its writers' transactions are decided (see EmbeddedKafka.settledEndOffsets). */
    static Map<TopicPartition, Long> settledEnds(String bootstrap, String topic) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            return EmbeddedKafka.settledEndOffsets(admin, topic, Duration.ofSeconds(60));
        }
    }

    /** Every epoch on eeg-epochs.v1 to its settled end, by bed then index (a doubled epoch appears twice). */
    static List<Epoch> readEpochs(String bootstrap) {
        Map<String, TreeMap<Long, List<Epoch>>> byBed = new TreeMap<>();
        for (ConsumerRecord<String, Epoch> r : TopicReader.at(bootstrap).records(Topics.EEG_EPOCHS,
                settledEnds(bootstrap, Topics.EEG_EPOCHS.name()))) {
            byBed.computeIfAbsent(r.key(), k -> new TreeMap<>()).computeIfAbsent(r.value().index(), k -> new ArrayList<>())
                    .add(r.value());
        }
        List<Epoch> out = new ArrayList<>();
        byBed.values().forEach(m -> m.values().forEach(out::addAll));
        return out;
    }

}
