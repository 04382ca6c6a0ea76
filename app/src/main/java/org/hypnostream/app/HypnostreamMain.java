package org.hypnostream.app;

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
            EvaluateCommand.class,
            CommandLine.HelpCommand.class
        })
public final class HypnostreamMain implements Runnable {

    public static void main(String[] args) {
        System.exit(new CommandLine(new HypnostreamMain()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
