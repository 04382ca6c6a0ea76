package org.hypnostream.bench.load;

import org.hypnostream.common.service.UntilStopped;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code hypnostream bench <pipeline|kafka|max-beds|scale-out|push|night-heap|fetch-wait>}: load runs through the real stack and the raw Kafka
 * ceiling. {@code bin/hypnostream bench ...} runs this class's {@code main} from the benchmarks jar (the launcher
 * jar lists {@code bench} but does not hold it: {@code app} never depends on {@code benchmarks}).
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Performance benchmarks (see docs/PERFORMANCE.md).",
        subcommands = {BenchPipelineCommand.class, BenchKafkaCommand.class, BenchMaxBedsCommand.class,
            BenchScaleOutCommand.class, BenchPushCommand.class, BenchNightHeapCommand.class, BenchFetchWaitCommand.class})
public final class BenchCommand implements Runnable {
    /** The name usage lines and errors show, as when {@code bench} was a subcommand of the launcher. */
    static final String NAME = "hypnostream bench";

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line as {@code bin/hypnostream bench} runs it: case-insensitive enums, a failure on one line. */
    static CommandLine commandLine() {
        return new CommandLine(new BenchCommand()).setCommandName(NAME).setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(BenchCommand::failed);
    }

    /** A command that throws: the stack trace to the log, the cause on one line to the console, status 1. */
    private static int failed(Exception e, CommandLine command, CommandLine.ParseResult parsed) {
        LoggerFactory.getLogger(BenchCommand.class).error("{} failed", command.getCommandName(), e);
        command.getErr().println("hypnostream " + command.getCommandName() + " failed: " + UntilStopped.oneLine(e));
        return 1;
    }

    @Override
    public void run() {
        new CommandLine(this).setCommandName(NAME).usage(System.out);
    }
}
