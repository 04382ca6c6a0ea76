package org.hypnostream.bench.load;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hypnostream.common.time.Micros;
import org.hypnostream.common.wire.SampleBlock;
import org.hypnostream.common.wire.SampleBlockCodec;
import org.hypnostream.ingest.source.SyntheticAmplifier;

/**
 * The montage of one synthetic bed as the benchmarks load it: blocks per device second, mean samples and encoded
 * bytes per block, and 10 s of its real encoded blocks (the raw Kafka ceiling sends those).
 */
public record Montage(double blocksPerSecond, double samplesPerBlock, double bytesPerBlock, List<byte[]> blocks) {

    public static Montage measure() {
        Instant t0 = Instant.parse("2020-01-01T00:00:00Z");
        SyntheticAmplifier a = new SyntheticAmplifier("bed-probe", 1, t0);
        long end = Micros.of(t0) + 10_000_000L;
        List<byte[]> blocks = new ArrayList<>();
        long samples = 0;
        long bytes = 0;
        while (true) {
            SampleBlock b = a.next().orElseThrow();
            if (b.deviceTimeMicros() >= end) {
                break;
            }
            byte[] enc = SampleBlockCodec.encode(b);
            blocks.add(enc);
            samples += (long) b.channels().size() * b.samplesPerChannel();
            bytes += enc.length;
        }
        return new Montage(blocks.size() / 10.0, (double) samples / blocks.size(), (double) bytes / blocks.size(), blocks);
    }

    public double bytesPerBedSecond() {
        return bytesPerBlock * blocksPerSecond;
    }

    /** The ceiling sends the montage's real encoded blocks, keyed by the run's bed names (at most 64 distinct). */
    public KafkaCeiling.Load ceilingLoad(int beds) {
        List<String> keys = new ArrayList<>();
        List<byte[]> payloads = new ArrayList<>();
        int n = Math.min(Math.max(beds, 1), 64);
        for (int b = 1; b <= n; b++) {
            for (byte[] block : blocks) {
                keys.add("bed-" + b);
                payloads.add(block);
            }
        }
        return new KafkaCeiling.Load(keys, payloads);
    }
}
