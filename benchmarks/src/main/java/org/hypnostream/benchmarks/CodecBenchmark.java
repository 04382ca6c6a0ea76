package org.hypnostream.benchmarks;

import java.util.concurrent.TimeUnit;
import org.hypnostream.common.wire.SampleBlock;
import org.hypnostream.common.wire.SampleBlockCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** SampleBlockCodec v1 on one second of the 9-channel 256 Hz EEG/EOG/chin block of the bedside montage. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CodecBenchmark {
    SampleBlock block;
    byte[] bytes;

    @Setup
    public void setup() {
        block = Fixtures.syntheticBlocks("bed-1", 1).stream().max((a, b) -> Integer.compare(a.channels().size(), b.channels().size()))
                .orElseThrow();
        bytes = SampleBlockCodec.encode(block);
    }

    @Benchmark
    public byte[] encode() {
        return SampleBlockCodec.encode(block);
    }

    @Benchmark
    public SampleBlock decode() {
        return SampleBlockCodec.decode(bytes);
    }
}
