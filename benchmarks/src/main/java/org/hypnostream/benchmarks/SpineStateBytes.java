package org.hypnostream.benchmarks;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hypnostream.common.time.Micros;
import org.hypnostream.common.wire.SampleBlock;
import org.hypnostream.stream.BedSpine;
import org.hypnostream.stream.SpineConfig;

/**
 * Bytes the spine writes to its state stores (and so to their changelog topics) for {@code SpineBenchmark}'s
 * 5 minutes of the synthetic montage, saving after every block as the topology does when each block is its own
 * commit (one bed at real time: a block per second, a commit every 50 ms). Prints one line. Run:
 * {@code java -cp 'benchmarks/target/benchmarks.jar:benchmarks/target/lib/*' org.hypnostream.benchmarks.SpineStateBytes}
 */
public final class SpineStateBytes {
    private SpineStateBytes() {
    }

    public static void main(String[] args) {
        List<SampleBlock> blocks = Fixtures.syntheticBlocks("bed-1", SpineBenchmark.SECONDS);
        BedSpine spine = new BedSpine("bed-1", Micros.of(Fixtures.START), SpineConfig.defaults());
        Map<String, byte[]> store = new HashMap<>();
        long total = 0;
        long max = 0;
        long epochs = 0;
        long[] perSecond = new long[SpineBenchmark.SECONDS];
        for (int i = 0; i < blocks.size(); i++) {
            epochs += spine.accept(blocks.get(i)).epochs().size();
            long b = SpineBenchmark.save(spine, store);
            total += b;
            max = Math.max(max, b);
            perSecond[i * SpineBenchmark.SECONDS / blocks.size()] += b;
        }
        long stored = store.values().stream().mapToLong(v -> v.length).sum();
        long early = 0;
        long late = 0;
        for (int e = 1; e < SpineBenchmark.SECONDS / 30; e++) {
            for (int s = 0; s < 5; s++) {
                early += perSecond[e * 30 + s];
                late += perSecond[e * 30 + 25 + s];
            }
        }
        int n = 5 * (SpineBenchmark.SECONDS / 30 - 1);
        System.out.printf("spine state bytes: blocks=%d epochs=%d value_bytes=%d per_block_mean=%d per_block_max=%d "
                + "per_epoch=%d per_second_first5_of_epoch=%d per_second_last5_of_epoch=%d stored_at_end=%d records_at_end=%d records_per_block=%.2f%n",
                blocks.size(), epochs, total, total / blocks.size(), max, total / Math.max(1, epochs), early / n, late / n,
                stored, store.size(), (double) SpineBenchmark.records / blocks.size());
        StringBuilder parts = new StringBuilder();
        for (int i = 0; i < SpineBenchmark.partRecords.length; i++) {
            if (SpineBenchmark.partRecords[i] > 0) {
                parts.append(String.format(java.util.Locale.ROOT, " head_part_%d=%.2f", i,
                        (double) SpineBenchmark.partRecords[i] / blocks.size()));
            }
        }
        System.out.printf(java.util.Locale.ROOT, "records per block by kind:%s chunk_puts=%.2f chunk_deletes=%.2f%n", parts,
                (double) SpineBenchmark.chunkPuts / blocks.size(), (double) SpineBenchmark.chunkDeletes / blocks.size());
    }
}
