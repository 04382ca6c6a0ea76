package org.hypnostream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.common.wire.SampleBlock;
import org.hypnostream.common.wire.SampleBlockCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the spine topology writes to its changelog topics (key + value bytes), block by block, as at real time where
 * each block is its own commit (the test driver commits after every record): it grows with the block, not with the
 * open epoch (docs/adr/0017-spine-state-layout.md), and with one head record per block and each full chunk once
 * (docs/adr/0026-spine-chunk-ring-and-one-head-per-bed.md). The figures are logged; main at 1695729 wrote 2,855,126 B per
 * epoch for 300 s of this montage (docs/PERFORMANCE-notes.md).
 */
class SpineChangelogBytesTest {
    private static final Logger LOG = LoggerFactory.getLogger(SpineChangelogBytesTest.class);
    private static final int SECONDS = 120;

    @TempDir
    Path stateDir;

    @Test
    void changelogBytesPerBlockDoNotGrowWithTheOpenEpoch() {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "hypnostream-spine");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        try (TopologyTestDriver d = new TopologyTestDriver(SpineTopology.build(SpineConfig.defaults()), p)) {
            TestInputTopic<String, byte[]> in = d.createInputTopic(Topics.SAMPLES.name(), new StringSerializer(),
                    new ByteArraySerializer());
            List<String> names = new ArrayList<>(SpineTopology.STORES);
            names.add(SpineTopology.CHUNK_STORE);
            List<TestOutputTopic<byte[], byte[]>> changelogs = new ArrayList<>();
            for (String store : names) {
                changelogs.add(changelog(d, store));
            }
            long[] storeRecords = new long[names.size()];
            long tombstones = 0;
            long[] storeBytes = new long[names.size()];
            List<SampleBlock> blocks = SpineMontage.blocks(SECONDS);
            long[] perSecond = new long[SECONDS];
            long inBytes = 0;
            long records = 0;
            for (int i = 0; i < blocks.size(); i++) {
                byte[] v = SampleBlockCodec.encode(blocks.get(i));
                inBytes += v.length;
                in.pipeInput(blocks.get(i).bedId(), v);
                for (int c = 0; c < changelogs.size(); c++) {
                    for (var kv : changelogs.get(c).readKeyValuesToList()) {
                        long bytes = kv.key.length + (kv.value == null ? 0 : kv.value.length);
                        perSecond[i / 2] += bytes;
                        storeRecords[c] += 1;
                        tombstones += kv.value == null ? 1 : 0;
                        storeBytes[c] += bytes;
                        records++;
                    }
                }
            }
            int epochs = d.createOutputTopic(Topics.EEG_EPOCHS.name(), new ByteArrayDeserializer(),
                    new ByteArrayDeserializer()).readValuesToList().size();
            long total = 0;
            for (long s : perSecond) {
                total += s;
            }
            long early = 0;
            long late = 0;
            for (int epoch = 1; epoch < SECONDS / 30; epoch++) {
                for (int s = 0; s < 10; s++) {
                    early += perSecond[epoch * 30 + s];
                    late += perSecond[epoch * 30 + 20 + s];
                }
            }
            int n = 10 * (SECONDS / 30 - 1);
            StringBuilder byStore = new StringBuilder();
            for (int c = 0; c < names.size(); c++) {
                byStore.append(String.format(java.util.Locale.ROOT, " %s %d records (%.2f per block) %d B;", names.get(c),
                        storeRecords[c], (double) storeRecords[c] / blocks.size(), storeBytes[c]));
            }
            LOG.info("spine changelogs by store, {} blocks:{} in all {} records = {} per block", blocks.size(), byStore,
                    records, String.format(java.util.Locale.ROOT, "%.2f", (double) records / blocks.size()));
            LOG.info("spine changelogs, {} s of SpineMontage ({} blocks, {} B into samples.v1, {} epochs): {} records, {} B "
                    + "(key + value) = {} B per epoch; per second {} B in the first 10 s of an epoch, {} B in the last 10 s",
                    SECONDS, blocks.size(), inBytes, epochs, records, total, total / epochs, early / n, late / n);
            assertThat(epochs).isEqualTo(SECONDS / 30);
            // the version-1 layout wrote ~7 x the input (the open windows again after every block); now about the input
            // once (the chunks) plus the heads
            assertThat(total).as("changelog bytes against %d B of input", inBytes).isLessThan(2 * inBytes);
            assertThat((double) late / n).as("changelog bytes per second late in an epoch (early: %s)", (double) early / n)
                    .isLessThan((double) early / n + 2048);
            // ADR 0026: one head record per block (the older layout's part stores are never written) and each full
            // chunk once, overwritten in place: no tombstone. ADR 0017's layout wrote 2,989 records here (12.45 per
            // block: a head per part touched plus each chunk's put and later tombstone); the chunks alone are about
            // 120 s x (300 + 400 + 2,000 samples/s) / 256 = 1,266
            assertThat(storeRecords[0]).as("head records").isEqualTo(blocks.size());
            for (int c = 1; c < SpineTopology.STORES.size(); c++) {
                assertThat(storeRecords[c]).as("records of %s", names.get(c)).isZero();
            }
            assertThat(tombstones).as("tombstones").isZero();
            assertThat(records).as("changelog records for %d blocks", blocks.size()).isLessThanOrEqualTo(blocks.size() + 1266);
        }
    }

    private static TestOutputTopic<byte[], byte[]> changelog(TopologyTestDriver d, String store) {
        return d.createOutputTopic("hypnostream-spine-" + store + "-changelog", new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }
}
