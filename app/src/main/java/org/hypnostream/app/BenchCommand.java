package org.hypnostream.app;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code hypnostream bench}: listed here so that {@code --help} shows it, but served by the {@code benchmarks} module
 * ({@code org.hypnostream.bench.load.BenchCommand}): {@code bin/hypnostream bench ...} runs that class from the
 * benchmarks jar, and {@code app} never depends on {@code benchmarks}. Reaching this class means the launcher jar
 * was run directly; it says where the benchmarks are and exits with status 2.
 */
@Command(name = "bench", description = "Performance benchmarks (module benchmarks/, run as bin/hypnostream bench; see docs/PERFORMANCE.md).")
final class BenchCommand implements Callable<Integer> {
    @Unmatched
    List<String> args;

    @Override
    public Integer call() {
        System.err.println("hypnostream bench: the benchmarks are not in this jar; run bin/hypnostream bench "
                + String.join(" ", args == null ? List.of() : args)
                + " (or java -cp 'benchmarks/target/benchmarks.jar:benchmarks/target/lib/*' org.hypnostream.bench.load.BenchCommand ...)");
        return 2;
    }
}
