package org.hypnostream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedPunctuator;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.hypnostream.common.time.ManualClock;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.common.wire.ChannelType;
import org.hypnostream.common.wire.EmgSegment;
import org.hypnostream.common.wire.SampleBlockCodec;
import org.junit.jupiter.api.Test;

/**
 * The idle needle-EMG punctuator across a restart: a new handler initialised on stores that hold an open recording
 * schedules it and closes the recording; one on stores without an open recording schedules nothing. (The
 * {@code TopologyTestDriver} deletes its state directory on close, so a restart on the same state is driven here with
 * the handler on a {@link MockProcessorContext} and in-memory stores that outlive it.)
 */
class SpineIdleCloserRestartTest {
    private static final SpineConfig CONFIG = SpineConfig.defaults().withEmg(1000, 1000).withEmgCloseIdle(1000);
    private final List<KeyValueStore<String, byte[]>> stores = new ArrayList<>();

    private MockProcessorContext<String, byte[]> context(long wallMillis) {
        MockProcessorContext<String, byte[]> c = new MockProcessorContext<>();
        c.setCurrentSystemTimeMs(wallMillis);
        List<String> names = new ArrayList<>(SpineTopology.STORES);
        names.add(SpineTopology.CHUNK_STORE);
        if (stores.isEmpty()) {
            for (String name : names) {
                KeyValueStore<String, byte[]> s = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name),
                        Serdes.String(), Serdes.ByteArray()).withLoggingDisabled().build();
                s.init(c.getStateStoreContext(), s);
                stores.add(s);
            }
        }
        for (KeyValueStore<String, byte[]> s : stores) {
            c.addStateStore(s);
        }
        return c;
    }

    private static SpineBlockHandler handler(MockProcessorContext<String, byte[]> c) {
        SpineBlockHandler h = new SpineBlockHandler(CONFIG, SpineMetrics.NONE, new ManualClock(Instant.EPOCH));
        h.init(c);
        return h;
    }

    private static List<CapturedPunctuator> live(MockProcessorContext<String, byte[]> c) {
        return c.scheduledPunctuators().stream().filter(p -> !p.cancelled()).toList();
    }

    private static List<EmgSegment> emg(MockProcessorContext<String, byte[]> c) {
        return c.forwarded(SpineTopology.EMG_SINK).stream()
                .map(f -> Topics.EMG_SEGMENTS.valueSerde().deserializer().deserialize(Topics.EMG_SEGMENTS.name(),
                        f.record().value()))
                .toList();
    }

    @Test
    void aRestartedTaskClosesTheRecordingItsStoresHoldOpen() {
        MockProcessorContext<String, byte[]> first = context(10_000);
        SpineBlockHandler before = handler(first);
        assertThat(first.scheduledPunctuators()).as("nothing open yet, nothing scheduled").isEmpty();
        TestBlocks t = new TestBlocks("emg-lab", "n2001", 23437.5).channel("needle", ChannelType.EMG_NEEDLE,
                TestBlocks.index());
        before.process(new Record<>("emg-lab", SampleBlockCodec.encode(t.block(0, 0, 1500)), 10_000));
        assertThat(emg(first)).hasSize(1);
        assertThat(live(first)).as("scheduled when the recording opened").hasSize(1);
        before.close();

        // the task restarts on the same stores before the recording was closed
        MockProcessorContext<String, byte[]> second = context(11_000);
        handler(second);
        List<CapturedPunctuator> scheduled = live(second);
        assertThat(scheduled).as("scheduled at init: the stores hold an open recording").hasSize(1);
        CapturedPunctuator p = scheduled.get(0);
        p.getPunctuator().punctuate(11_500);
        assertThat(emg(second)).as("waits emgCloseIdleMillis after the restart").isEmpty();
        p.getPunctuator().punctuate(12_100);
        assertThat(emg(second)).hasSize(1).allSatisfy(s -> {
            assertThat(s.last()).isTrue();
            assertThat(s.index()).isEqualTo(1);
        });
        assertThat(p.cancelled()).as("cancelled once no recording is open").isTrue();

        // and a task restarting on stores with no open recording schedules nothing
        MockProcessorContext<String, byte[]> third = context(20_000);
        handler(third);
        assertThat(third.scheduledPunctuators()).isEmpty();
    }
}
