package org.hypnostream.benchmarks;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.hypnostream.common.time.Micros;
import org.hypnostream.common.wire.SampleBlock;
import org.hypnostream.stream.BedSpine;
import org.hypnostream.stream.SpineConfig;
import org.hypnostream.stream.signal.StateWrites;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The spine's per-bed work (stream-processor's BedSpine: admission, epoch assembly with resampling 256 -> 100 Hz,
 * leg windows 200 Hz, EMG segments), per 1-s block, over 5 minutes of the synthetic bedside montage (600 blocks,
 * 10 epochs). Time per operation = time per block. {@code acceptAndSave} also builds the state writes the topology
 * stores after every block (heads and chunks, docs/adr/0017-spine-state-layout.md) and puts them into a map.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SpineBenchmark {
    static final int SECONDS = 300;
    List<SampleBlock> blocks;
    int perInvocation;

    @Setup
    public void setup() {
        blocks = Fixtures.syntheticBlocks("bed-1", SECONDS);
        if (blocks.size() != 600) {
            throw new IllegalStateException("expected 600 blocks (2 rate groups x 300 s), got " + blocks.size());
        }
    }

    @Benchmark
    @OperationsPerInvocation(600)
    public void acceptBlock(Blackhole bh) {
        BedSpine spine = new BedSpine("bed-1", Micros.of(Fixtures.START), SpineConfig.defaults());
        for (SampleBlock b : blocks) {
            bh.consume(spine.accept(b));
        }
    }

    @Benchmark
    @OperationsPerInvocation(600)
    public void acceptAndSave(Blackhole bh) {
        BedSpine spine = new BedSpine("bed-1", Micros.of(Fixtures.START), SpineConfig.defaults());
        Map<String, byte[]> store = new HashMap<>();
        for (SampleBlock b : blocks) {
            bh.consume(spine.accept(b));
            save(spine, store);
        }
        bh.consume(store);
    }

    /** Store records written by {@link #save} (puts and deletes), for {@link SpineStateBytes}. */
    static long records;
    /** Of {@link #records}: head puts by part, chunk puts, chunk deletes. */
    static final long[] partRecords = new long[8];
    static long chunkPuts;
    static long chunkDeletes;

    /** Stores a spine's writes as the topology does; returns the value bytes written. */
    static long save(BedSpine spine, Map<String, byte[]> store) {
        StateWrites w = spine.changes();
        for (int i = 0; i < w.partCount(); i++) {
            if (w.part(i) != null) {
                store.put("part-" + i, w.part(i));
                partRecords[i]++;
            }
        }
        for (Map.Entry<String, byte[]> c : w.chunks().entrySet()) {
            if (c.getValue() == null) {
                store.remove(c.getKey());
                chunkDeletes++;
            } else {
                store.put(c.getKey(), c.getValue());
                chunkPuts++;
            }
        }
        long bytes = w.valueBytes();
        records += w.records();
        w.applied();
        return bytes;
    }
}
