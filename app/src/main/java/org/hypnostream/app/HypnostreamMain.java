package org.hypnostream.app;

import org.hypnostream.common.service.UntilStopped;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one launcher: {@code bin/hypnostream <subcommand>}. Each subcommand wires one service or tool. */
@Command(name = "hypnostream", mixinStandardHelpOptions = true, version = "hypnostream 0.1.0",
        description = "Streaming real-time bedside sleep monitor.",
        subcommands = {
            DemoCommand.class,
            BenchCommand.class,
            BrokerCommand.class,
            GatewayCommand.class,
            StreamProcessorCommand.class,
            InferenceCommand.class,
            CreateTopicsCommand.class,
            ProbeCommand.class,
            AddUserCommand.class,
            DashboardCommand.class,
            ExportEdfCommand.class,
            ReportCommand.class,
            ExportFhirCommand.class,
            StudyCommand.class,
            EvaluateCommand.class,
            CommandLine.HelpCommand.class
        })
public final class HypnostreamMain implements Runnable {

    public static void main(String[] args) {
        System.exit(new CommandLine(new HypnostreamMain()).setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(HypnostreamMain::failed).execute(args));
    }

    /** A command that throws: the stack trace to the log, the cause on one line to the console, status 1. */
    private static int failed(Exception e, CommandLine command, CommandLine.ParseResult parsed) {
        LoggerFactory.getLogger(HypnostreamMain.class).error("{} failed", command.getCommandName(), e);
        command.getErr().println("hypnostream " + command.getCommandName() + " failed: " + UntilStopped.oneLine(e));
        return 1;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
