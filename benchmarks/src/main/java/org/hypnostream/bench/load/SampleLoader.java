package org.hypnostream.bench.load;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.hypnostream.common.config.KafkaClients;
import org.hypnostream.common.time.Micros;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.common.wire.SampleBlock;
import org.hypnostream.common.wire.SampleBlockCodec;
import org.hypnostream.ingest.source.SyntheticAmplifier;

/**
 * Writes a backlog into {@code samples.v1}: {@code beds} synthetic beds x {@code seconds} of device time, keyed by
 * bed, with the gateway's producer guarantees (idempotent, acks=all). The scale-out benchmark then measures how fast
 * 1 or 2 instances of each service work it off.
 */
public final class SampleLoader {
    private SampleLoader() {
    }

    /** @return the number of blocks written */
    public static long load(String bootstrapServers, int beds, int seconds, Instant sessionStart)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<String, Object> p = KafkaClients.client(bootstrapServers, Map.of());
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-sample-loader");
        KafkaClients.ordered(p); // as the gateway
        long end = Micros.of(sessionStart) + seconds * 1_000_000L;
        long n = 0;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            SyntheticAmplifier[] amps = new SyntheticAmplifier[beds];
            for (int i = 0; i < beds; i++) {
                amps[i] = new SyntheticAmplifier("bed-" + (i + 1), i + 1, sessionStart);
            }
            // second by second across the beds, as a gateway would send them
            boolean more = true;
            java.util.concurrent.Future<?> lastSend = null;
            while (more) {
                more = false;
                for (SyntheticAmplifier a : amps) {
                    for (int k = 0; k < 2; k++) { // the montage's two rate groups per second
                        Optional<SampleBlock> b = a.next();
                        if (b.isEmpty() || b.get().deviceTimeMicros() >= end) {
                            continue;
                        }
                        more = true;
                        SampleBlock x = b.get();
                        SampleBlock stamped = new SampleBlock(x.bedId(), x.sourceId(), x.seq(), x.sessionStartMicros(),
                                x.deviceTimeMicros(), Micros.now(java.time.InstantSource.system()), x.sampleRateHz(),
                                x.channels(), x.samples());
                        lastSend = producer.send(new ProducerRecord<>(Topics.SAMPLES.name(), x.bedId(), SampleBlockCodec.encode(stamped)));
                        n++;
                    }
                }
            }
            producer.flush();
            if (lastSend != null) {
                lastSend.get(60, TimeUnit.SECONDS);
            }
        }
        return n;
    }
}
