package org.hypnostream.bench.load;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.hypnostream.common.config.KafkaClients;
import org.hypnostream.stream.StreamProcessorApp;

/**
 * The floor's spine hop: every record is written under its key to a cached, changelogged persistent store (as the
 * spine saves a bed's state) and forwarded unchanged, headers included. Same guarantee (exactly_once_v2), commit
 * interval, producer batch size and thread count as the real spine. The spine's own state writes are larger (a bed's head and
 * its sample chunks, ADR 0026): this is a lower bound on the hop's cost.
 */
final class NullSpineTopology {
    static final String SOURCE = "floor-samples";
    static final String PROCESSOR = "floor-pass-through";
    static final String SINK = "floor-epochs-sink";
    static final String STORE = "floor-bed-state";

    private NullSpineTopology() {
    }

    static Topology build(String in, String out) {
        Topology t = new Topology();
        t.addSource(SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), in);
        t.addProcessor(PROCESSOR, PassThrough::new, SOURCE);
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(), Serdes.ByteArray())
                .withCachingEnabled(), PROCESSOR);
        t.addSink(SINK, out, Serdes.String().serializer(), Serdes.ByteArray().serializer(), PROCESSOR);
        return t;
    }

    static KafkaStreams start(String bootstrapServers, NullPipeline.Names names, Path stateDir) {
        Properties p = new Properties();
        p.putAll(KafkaClients.client(bootstrapServers, Map.of()));
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, names.spineApplicationId());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.resolve(names.spineApplicationId()).toString());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "1");
        p.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.toString(StreamProcessorApp.COMMIT_INTERVAL_MS));
        p.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), Integer.toString(StreamProcessorApp.PRODUCER_BATCH_BYTES));
        KafkaStreams s = new KafkaStreams(build(names.samples(), names.epochs()), p);
        s.start();
        return s;
    }

    private static final class PassThrough implements Processor<String, byte[], String, byte[]> {
        private ProcessorContext<String, byte[]> context;
        private KeyValueStore<String, byte[]> store;

        @Override
        public void init(ProcessorContext<String, byte[]> context) {
            this.context = context;
            this.store = context.getStateStore(STORE);
        }

        @Override
        public void process(Record<String, byte[]> record) {
            if (record.key() != null) {
                store.put(record.key(), record.value());
            }
            context.forward(record);
        }
    }
}
