package org.hypnostream.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code hypnostream bench <pipeline|kafka|max-beds|scale-out>}: load runs through the real stack and the raw Kafka ceiling. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Performance benchmarks (see docs/PERFORMANCE.md).",
        subcommands = {BenchPipelineCommand.class, BenchKafkaCommand.class, BenchMaxBedsCommand.class,
            BenchScaleOutCommand.class})
final class BenchCommand implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
